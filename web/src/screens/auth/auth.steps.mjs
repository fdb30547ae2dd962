// Browser steps of the sign-up, confirmation and sign-in screens (used by e2e/console.test.mjs).
export async function signUp(page, { email, name, password }) {
  await page.getByRole('link', { name: 'Create an account' }).click();
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign up' }).click();
  await page.getByRole('heading', { name: 'Confirm your e-mail' }).waitFor();
}

export async function confirm(page, code) {
  await page.getByLabel('Confirmation code').fill(code);
  await page.getByRole('button', { name: 'Confirm' }).click();
  await page.getByText('Your account is confirmed: sign in.').waitFor();
}

/** On the sign-in screen (e-mail maybe pre-filled): signs in and waits for the app. */
export async function signIn(page, email, password) {
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/signin'));
}

/** On the sign-in screen: signs in and waits for the challenge screen `heading` (TOTP code, new password). */
export async function signInToChallenge(page, email, password, heading) {
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: heading }).waitFor();
}
