// Browser steps of [Credits].
export async function topUp(page, amount, reference) {
  await page.getByRole('button', { name: 'Top up' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Credits').fill(String(amount));
  if (reference) await dialog.getByLabel('Reference').fill(reference);
  await dialog.getByRole('button', { name: 'Top up' }).click();
  await page.getByText(`${amount.toLocaleString('en-US')} credits added`).waitFor();
}

/** A paged list's "From"/"To" UTC-day filter (ledger, audit log): `2026-11-30` typed as the picker's YYYY/MM/DD. */
export async function dayRange(page, { from, to }) {
  for (const [label, day] of [['From (UTC day)', from], ['To (UTC day, included)', to]]) {
    if (day === undefined) continue;
    const input = page.getByRole('textbox', { name: label });
    await input.click();
    await input.press('Control+A');
    await input.press('Backspace');
    await input.pressSequentially(day.replaceAll('-', '/'));
    await input.press('Tab');
  }
}

/** The ledger's Team filter. */
export async function ledgerTeam(page, name) {
  await page.getByRole('button', { name: /^Team/ }).click();
  await page.getByRole('option', { name, exact: true }).click();
}
