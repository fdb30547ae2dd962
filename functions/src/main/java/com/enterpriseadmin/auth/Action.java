package com.enterpriseadmin.auth;

/**
 * Everything a member may be allowed to do in an organization (docs/domain.md, "Who does what"). Team-scoped actions
 * are decided with the caller's role in that team. Accepting or declining an invitation is not here:
 * it is decided by the invitee's verified e-mail, not by a membership.
 */
public enum Action {
    /** Read the organization's name (every active member). */
    READ_ORG_NAME(false),
    /** Read the whole organization record (owner, dates). */
    READ_ORG(false),
    UPDATE_ORG(false),
    /** List users, change their org role, suspend / reactivate / remove them. */
    MANAGE_USERS(false),
    /** Invite, resend, revoke, list invitations. */
    MANAGE_INVITATIONS(false),
    /** Create, rename, archive teams. */
    MANAGE_TEAMS(false),
    /** Set a team's budget and budget mode. */
    SET_BUDGET(false),
    /** Add, change, remove members of the team. */
    MANAGE_TEAM_MEMBERS(true),
    /** View the whole team's credit usage. */
    VIEW_TEAM_USAGE(true),
    /** View one's own usage in the team. */
    VIEW_OWN_USAGE(true),
    TOP_UP(false),
    VIEW_CREDITS(false),
    VIEW_LEDGER(false),
    VIEW_AUDIT(false),
    /** Refund consumptions and captures; transfer budget between teams; approve or decline budget requests. */
    CORRECT_CREDITS(false),
    /** Ask for a higher limit of the team (its ADMIN, or an organization OWNER/ADMIN). */
    REQUEST_BUDGET(true),
    /** Spend credits (create content) in the team. */
    CONSUME(true),
    /** Register, change, remove webhook endpoints; see and redeliver their deliveries. */
    MANAGE_WEBHOOKS(false);

    private final boolean teamScoped;

    Action(boolean teamScoped) {
        this.teamScoped = teamScoped;
    }

    public boolean teamScoped() {
        return teamScoped;
    }
}
