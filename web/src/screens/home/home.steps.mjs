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
