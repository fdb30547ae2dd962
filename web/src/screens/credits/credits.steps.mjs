// Browser steps of [Credits].
export async function topUp(page, amount, reference) {
  await page.getByRole('button', { name: 'Top up' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Credits').fill(String(amount));
  if (reference) await dialog.getByLabel('Reference').fill(reference);
  await dialog.getByRole('button', { name: 'Top up' }).click();
  await page.getByText(`${amount.toLocaleString('en-US')} credits added`).waitFor();
}
