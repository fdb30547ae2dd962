// Browser steps of [Team Members] → [Add Member].
/** Adds a member: `pick` chooses the e-mail from the suggestions (org admins), else it is typed. */
export async function addMember(page, { email, role, pick = true }) {
  await page.getByRole('button', { name: 'Add Member' }).click();
  const dialog = page.getByRole('dialog');
  const input = dialog.getByRole('combobox', { name: 'Member e-mail' });
  if (pick) {
    await input.fill(email.slice(0, 4));
    await page.getByRole('option', { name: new RegExp(`^${email.replace(/[.+]/g, '\\$&')}`) }).click();
  } else {
    await input.fill(email);
  }
  await dialog.getByRole('radio', { name: new RegExp(`^${role}`) }).check();
  await dialog.getByRole('button', { name: 'Add', exact: true }).click();
  await page.getByText(`${email} is added as team ${role === 'Administrator' ? 'administrator' : 'member'}`).waitFor();
  await dialog.waitFor({ state: 'hidden' });
}

