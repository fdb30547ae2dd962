// Browser steps shared by the tables with a selection and an [Actions] menu (Users, Team Members),
// their confirmations, and reading a column.

/**
 * Selects the row of `email`, opens [Actions] → `action`, and returns the confirmation once it
 * names the consequence (`consequence`: text or RegExp).
 */
export async function rowAction(page, email, action, consequence) {
  await page.getByRole('radio', { name: `Select ${email}` }).check({ force: true });
  await page.getByRole('button', { name: 'Actions' }).click();
  await page.getByRole('menuitem', { name: action, exact: true }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByText(consequence).waitFor();
  return dialog;
}

/** Confirms the open confirmation; waits for its flash (`done`) and for the dialog to close. */
export async function confirmDialog(page, dialog, button, done) {
  await dialog.getByRole('button', { name: button, exact: true }).click();
  await page.getByText(done).first().waitFor();
  await dialog.waitFor({ state: 'hidden' });
}

/** The texts of a column of a table, by header, row by row. */
export async function column(page, table, header) {
  const t = page.getByRole('table', { name: table });
  const headers = (await t.getByRole('columnheader').allInnerTexts()).map((h) => h.trim());
  const at = headers.indexOf(header);
  if (at < 0) throw new Error(`${table} has no column ${header} (${headers.join(', ')})`);
  const out = [];
  for (const row of (await t.getByRole('row').all()).slice(1)) {
    const cells = await row.locator('td, th').allInnerTexts();
    if (cells.length > at) out.push(cells[at].trim());
  }
  return out;
}
