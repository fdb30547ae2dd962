// Browser steps of the home screen: first run (create the organization), invitations waiting for me.
export async function createOrganization(page, name) {
  await page.getByRole('heading', { name: 'Create your organization' }).waitFor();
  await page.getByLabel('Organization name').fill(name);
  await page.getByRole('button', { name: 'Create organization' }).click();
  await page.getByText(`${name} is created`).waitFor();
}

export async function acceptInvitation(page, orgName) {
  await page.getByRole('heading', { name: 'Invitations waiting for you' }).waitFor();
  await page.getByRole('button', { name: `Accept the invitation to ${orgName}` }).click();
  await page.getByText(`You joined ${orgName}`).waitFor();
}

export async function declineInvitation(page, orgName) {
  await page.getByRole('heading', { name: 'Invitations waiting for you' }).waitFor();
  await page.getByRole('button', { name: `Decline the invitation to ${orgName}` }).click();
  await page.getByText('Invitation declined').waitFor();
  await page.getByRole('button', { name: `Decline the invitation to ${orgName}` }).waitFor({ state: 'detached' });
}

/** The organization switcher of the top bar (shown to people in two organizations or more). */
export async function switchOrganization(page, from, to) {
  await page.getByRole('button', { name: from }).click();
  await page.getByRole('menuitem', { name: to }).click();
  await page.locator('nav').getByRole('link', { name: to, exact: true }).waitFor();
}
