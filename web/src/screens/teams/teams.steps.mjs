// Browser steps of [Teams]: [Create New Team], the [Credit Budget] switch.
export async function createTeam(page, { name, limit, monthly = true }) {
  await page.getByRole('button', { name: 'Create New Team' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Team name').fill(name);
  if (limit === undefined) {
    await dialog.getByRole('radio', { name: /Shared pool/ }).check();
  } else {
    await dialog.getByRole('radio', { name: /Credit limit/ }).check();
    await dialog.getByLabel('Limit (credits)').fill(String(limit));
    const box = dialog.getByRole('checkbox', { name: /Reset every month/ });
    if ((await box.isChecked()) !== monthly) await box.click();
  }
  await dialog.getByRole('button', { name: 'Create Team' }).click();
  await page.getByText(`Team ${name} is created`).waitFor();
}

export async function selectTeam(page, name) {
  await page.getByRole('radio', { name: `Select ${name}` }).check({ force: true });
}

/** Opens [Credit Budget] for the team; returns the dialog. */
export async function openCreditBudget(page, name) {
  await selectTeam(page, name);
  await page.getByRole('button', { name: 'Credit Budget' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('heading', { name: `Credit Budget: ${name}` }).waitFor();
  return dialog;
}

/** In the open [Credit Budget] dialog: the shared pool (limit undefined) or a limit. */
export async function setBudget(dialog, { limit, monthly = true }) {
  const toggle = dialog.getByRole('checkbox', { name: 'Use the shared pool' });
  const shared = limit === undefined;
  if ((await toggle.isChecked()) !== shared) await toggle.click();
  if (!shared) {
    await dialog.getByLabel('Limit (credits)').fill(String(limit));
    const box = dialog.getByRole('checkbox', { name: /Reset every month/ });
    if ((await box.isChecked()) !== monthly) await box.click();
  }
}

export async function saveBudget(page, dialog, name) {
  await dialog.getByRole('button', { name: 'Save' }).click();
  await page.getByText(`Credit budget of ${name} saved`).waitFor();
  await dialog.waitFor({ state: 'hidden' });
}

/** The cells of a team's row in the Teams table, by column header. */
export async function teamRow(page, name) {
  const table = page.getByRole('table', { name: 'Teams' });
  const headers = await table.getByRole('columnheader').allInnerTexts();
  const cells = await table.getByRole('row').filter({ has: page.getByRole('rowheader', { name, exact: true }) }).locator('td, th').allInnerTexts();
  const row = {};
  // The first header is the selection column (no cell text but a cell).
  headers.forEach((h, i) => { row[h.trim()] = (cells[i] ?? '').trim(); });
  return row;
}

/** [Archive] or [Unarchive] the team: the confirmation names the consequence; waits for the flash. */
export async function archiveTeam(page, name, { unarchive = false, consequence }) {
  await selectTeam(page, name);
  await page.getByRole('button', { name: unarchive ? 'Unarchive' : 'Archive', exact: true }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByText(consequence).waitFor();
  await dialog.getByRole('button', { name: unarchive ? 'Unarchive' : 'Archive', exact: true }).click();
  await page.getByText(unarchive ? `Team ${name} is active again` : `Team ${name} is archived`).waitFor();
  await dialog.waitFor({ state: 'hidden' });
}

/** The Teams table's "Show" control: Active, Archived or All. */
export async function showTeams(page, which) {
  await page.getByRole('button', { name: which, exact: true }).click();
}
