// Browser steps of [Enterprise Management] → [Users].
/** [Invite Users]: e-mail and role ('Enterprise administrator' | 'User'); waits for the outcome. */
export async function inviteUser(page, { email, role }, { expectError } = {}) {
  await page.getByRole('button', { name: 'Invite Users' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('E-mail').fill(email);
  await dialog.getByRole('radio', { name: role }).check();
  await dialog.getByRole('button', { name: 'Invite' }).click();
  if (expectError) {
    await page.getByText(expectError).first().waitFor();
    return dialog;
  }
  await page.getByText(`${email} is invited`).waitFor();
  await dialog.waitFor({ state: 'hidden' });
  return dialog;
}

/** The Status cell of a member's row in [Users]. */
export async function userStatus(page, email) {
  const row = page.getByRole('table', { name: 'Users' }).getByRole('row').filter({ has: page.getByRole('rowheader', { name: email, exact: true }) });
  return (await row.getByRole('cell').allInnerTexts()).map((c) => c.trim()).find((c) => c === 'Active' || c === 'Suspended');
}
