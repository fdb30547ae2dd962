// Browser steps of a team's usage screen.
/** The "By member" rows as { member, consumed } once loaded. */
export async function usageByMember(page) {
  const table = page.getByRole('table', { name: 'Usage by member' });
  await table.waitFor();
  await page.waitForFunction(() => !document.body.innerText.includes('Loading usage'));
  const rows = await table.getByRole('row').all();
  const out = [];
  for (const row of rows.slice(1)) {
    const member = (await row.getByRole('rowheader').allInnerTexts())[0];
    const cells = await row.getByRole('cell').allInnerTexts();
    if (member) out.push({ member: member.trim(), consumed: cells[0]?.trim() });
  }
  return out;
}
