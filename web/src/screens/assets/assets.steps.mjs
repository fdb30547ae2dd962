// Browser steps of the Assets page: an upload through [Upload] (the file, its name, its teams), the team
// filter and the view switch.

/** [Assets] → [Upload]: picks `file` ({name, mimeType, buffer}), names it, shares it with `teams` (or the organization); waits for READY. */
export async function uploadAsset(page, { name, file, teams = [] }) {
  await page.getByRole('button', { name: 'Upload', exact: true }).click();
  const dialog = page.getByRole('dialog');
  await dialog.locator('input[type="file"]').setInputFiles(file);
  await dialog.getByLabel('Name', { exact: true }).fill(name);
  if (teams.length > 0) {
    await dialog.getByRole('radio', { name: 'Teams' }).check({ force: true });
    await dialog.getByText('Choose teams').click();
    for (const team of teams) await page.getByRole('option', { name: team }).click();
    await dialog.getByLabel('Name', { exact: true }).click(); // closes the team list
  }
  await dialog.getByRole('button', { name: 'Upload', exact: true }).click();
  await dialog.getByText(`${name} is in the library.`).waitFor({ timeout: 30_000 });
  return dialog;
}

/** The team filter of the Assets page ("All teams" for none). */
export async function assetsTeam(page, team) {
  await page.getByRole('button', { name: /^Team/ }).click();
  await page.getByRole('option', { name: team, exact: true }).click();
}

/** Grid (cards) or List (table). */
export async function assetsView(page, view) {
  await page.getByRole('radio', { name: view, exact: true }).or(page.getByRole('button', { name: view, exact: true })).first().click();
}
