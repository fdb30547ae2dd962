package com.enterpriseadmin.asset;

import com.enterpriseadmin.auth.Standing;
import com.enterpriseadmin.auth.TeamRole;
import java.util.List;

/**
 * Who may see and manage an asset (docs/assets.md, "Who"), decided on the stored membership the caller's request
 * read (never the token, never the body):
 * <ul>
 *   <li>OWNER / ADMIN: every asset, every action, deleted ones included (restore is theirs alone);</li>
 *   <li>a team ADMIN: uploads and manages the assets shared only with teams they administer (TEAMS visibility,
 *       every team theirs);</li>
 *   <li>any active member: sees the READY assets of the organization and of their teams;</li>
 *   <li>everyone else: the asset does not exist (404).</li>
 * </ul>
 * Removing a member or archiving a team changes no file, only who sees it: this is computed on each request.
 */
public final class AssetAccess {
    private AssetAccess() {}

    public static boolean isAdministrator(Standing member) {
        return member.active() && member.role().isAdministrator();
    }

    /** May share an asset this way (upload it so, or re-share it so). */
    public static boolean canShare(Standing member, Asset.Visibility visibility, List<String> teamIds) {
        if (isAdministrator(member)) {
            return true;
        }
        return member.active() && visibility == Asset.Visibility.TEAMS && !teamIds.isEmpty()
                && teamIds.stream().allMatch(t -> member.teams().get(t) == TeamRole.ADMIN);
    }

    /** May rename, re-share, delete it (and complete its upload). */
    public static boolean canManage(Standing member, Asset asset) {
        return canShare(member, asset.visibility(), asset.teamIds());
    }

    /** Whether the asset exists for this member at all (otherwise: 404). */
    public static boolean canSee(Standing member, Asset asset) {
        if (!member.active()) {
            return false;
        }
        return switch (asset.status()) {
            case DELETED -> isAdministrator(member);
            case UPLOADING, REJECTED, ABANDONED -> canManage(member, asset) || member.userId().equals(asset.createdBy());
            case READY -> canManage(member, asset) || asset.visibility() == Asset.Visibility.ORGANIZATION
                    || asset.teamIds().stream().anyMatch(member.teams()::containsKey);
        };
    }
}
