// Browser steps of a team's usage screen.
/** The "By member" rows as { member, consumed } once loaded. */
export async function usageByMember(page) {
  const table = page.getByRole('table', { name: 'Usage by member' });
  // Loaded: a member's row or the empty text (a screen reader's live region may still hold "Loading usage").
  await table.getByRole('rowheader').or(table.getByText('No consumption in this period.')).first().waitFor();
  const rows = await table.getByRole('row').all();
  const out = [];
  for (const row of rows.slice(1)) {
    const member = (await row.getByRole('rowheader').allInnerTexts())[0];
    const cells = await row.getByRole('cell').allInnerTexts();
    if (member) out.push({ member: member.trim(), consumed: cells[0]?.trim() });
  }
  return out;
}
