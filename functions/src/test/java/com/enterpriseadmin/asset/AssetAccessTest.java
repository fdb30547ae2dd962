package com.enterpriseadmin.asset;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.enterpriseadmin.auth.MemberStatus;
import com.enterpriseadmin.auth.OrgRole;
import com.enterpriseadmin.auth.Standing;
import com.enterpriseadmin.auth.TeamRole;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The "Who" table of docs/assets.md, row by row. */
class AssetAccessTest {
    static final String A = "team-a";
    static final String B = "team-b";
    static final Standing ADMIN = new Standing("o", "admin", OrgRole.ADMIN, MemberStatus.ACTIVE, Map.of());
    static final Standing LEAD_A = new Standing("o", "lead", OrgRole.USER, MemberStatus.ACTIVE, Map.of(A, TeamRole.ADMIN, B, TeamRole.MEMBER));
    static final Standing MEMBER_A = new Standing("o", "ma", OrgRole.USER, MemberStatus.ACTIVE, Map.of(A, TeamRole.MEMBER));
    static final Standing MEMBER_B = new Standing("o", "mb", OrgRole.USER, MemberStatus.ACTIVE, Map.of(B, TeamRole.MEMBER));
    static final Standing SUSPENDED_ADMIN = new Standing("o", "sa", OrgRole.ADMIN, MemberStatus.SUSPENDED, Map.of());

    static Asset asset(Asset.Status status, Asset.Visibility visibility, List<String> teams) {
        Instant t = Instant.EPOCH;
        return new Asset("id", "o", "n", "image/png", 1, 1, status, visibility, teams, "k", "someone", t, t, Optional.empty(), Optional.empty(), 1);
    }

    @Test
    void readyAssetsAreSeenByTheOrganizationOrTheirTeams() {
        Asset org = asset(Asset.Status.READY, Asset.Visibility.ORGANIZATION, List.of());
        Asset teamA = asset(Asset.Status.READY, Asset.Visibility.TEAMS, List.of(A));
        assertTrue(AssetAccess.canSee(MEMBER_B, org));
        assertTrue(AssetAccess.canSee(MEMBER_A, teamA));
        assertFalse(AssetAccess.canSee(MEMBER_B, teamA));
        assertTrue(AssetAccess.canSee(ADMIN, teamA));
        assertFalse(AssetAccess.canSee(SUSPENDED_ADMIN, org));
    }

    @Test
    void aTeamAdminManagesOnlyAssetsSharedOnlyWithTeamsTheyAdminister() {
        assertTrue(AssetAccess.canManage(LEAD_A, asset(Asset.Status.READY, Asset.Visibility.TEAMS, List.of(A))));
        assertFalse(AssetAccess.canManage(LEAD_A, asset(Asset.Status.READY, Asset.Visibility.TEAMS, List.of(A, B))));
        assertFalse(AssetAccess.canManage(LEAD_A, asset(Asset.Status.READY, Asset.Visibility.ORGANIZATION, List.of())));
        assertFalse(AssetAccess.canShare(LEAD_A, Asset.Visibility.TEAMS, List.of()));
        assertFalse(AssetAccess.canManage(MEMBER_A, asset(Asset.Status.READY, Asset.Visibility.TEAMS, List.of(A))));
        assertTrue(AssetAccess.canManage(ADMIN, asset(Asset.Status.READY, Asset.Visibility.ORGANIZATION, List.of())));
    }

    @Test
    void uploadsAndDeletedAssetsAreForTheirManagersAndAdministrators() {
        Asset uploading = asset(Asset.Status.UPLOADING, Asset.Visibility.TEAMS, List.of(A));
        assertFalse(AssetAccess.canSee(MEMBER_A, uploading));
        assertTrue(AssetAccess.canSee(LEAD_A, uploading));
        Asset deleted = asset(Asset.Status.DELETED, Asset.Visibility.TEAMS, List.of(A));
        assertFalse(AssetAccess.canSee(LEAD_A, deleted));
        assertFalse(AssetAccess.canSee(MEMBER_A, deleted));
        assertTrue(AssetAccess.canSee(ADMIN, deleted));
    }
}
