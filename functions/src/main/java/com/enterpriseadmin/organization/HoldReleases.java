package com.enterpriseadmin.organization;

/**
 * Releasing open credit holds once a change that takes a seat away has committed: a member removed from
 * the organization or from a team, a member suspended, a team archived. No new hold can be placed after
 * that change (the hold transaction needs the team seat, an ACTIVE membership and an ACTIVE team), so
 * releasing what is open right after the commit leaves nothing behind; if the process dies in between,
 * the reconciliation job releases such orphaned holds. Implemented by the credits feature (wired in
 * {@code config.Wiring}), so that organizations and teams do not depend on it.
 */
@FunctionalInterface
public interface HoldReleases {
    /** Releases the open holds of {@code teamId} and/or {@code userId} (null = any); returns how many. */
    int release(String orgId, String teamId, String userId, String reason);
}
