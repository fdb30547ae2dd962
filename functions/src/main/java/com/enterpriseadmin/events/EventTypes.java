package com.enterpriseadmin.events;

import java.util.List;

/** The integration event types (docs/events.md); each has a JSON Schema in docs/events/{type}.schema.json. */
public final class EventTypes {
    private EventTypes() {}

    public static final String INVITATION_CREATED = "invitation.created";
    public static final String INVITATION_RESENT = "invitation.resent";
    public static final String INVITATION_ACCEPTED = "invitation.accepted";
    public static final String INVITATION_DECLINED = "invitation.declined";
    public static final String INVITATION_REVOKED = "invitation.revoked";
    public static final String INVITATION_EXPIRED = "invitation.expired";
    public static final String MEMBER_ADDED = "member.added";
    public static final String MEMBER_ROLE_CHANGED = "member.role-changed";
    public static final String MEMBER_REMOVED = "member.removed";
    public static final String TEAM_CREATED = "team.created";
    public static final String TEAM_UPDATED = "team.updated";
    public static final String TEAM_ARCHIVED = "team.archived";
    public static final String BUDGET_CHANGED = "budget.changed";
    public static final String CREDITS_TOPPED_UP = "credits.topped-up";
    public static final String BUDGET_THRESHOLD_CROSSED = "budget.threshold-crossed";
    public static final String BUDGET_RECOVERED = "budget.recovered";
    public static final String RECONCILIATION_DRIFT_DETECTED = "reconciliation.drift-detected";

    public static final List<String> ALL = List.of(
            INVITATION_CREATED, INVITATION_RESENT, INVITATION_ACCEPTED, INVITATION_DECLINED, INVITATION_REVOKED, INVITATION_EXPIRED,
            MEMBER_ADDED, MEMBER_ROLE_CHANGED, MEMBER_REMOVED, TEAM_CREATED, TEAM_UPDATED, TEAM_ARCHIVED, BUDGET_CHANGED,
            CREDITS_TOPPED_UP, BUDGET_THRESHOLD_CROSSED, BUDGET_RECOVERED, RECONCILIATION_DRIFT_DETECTED);

    public static boolean known(String type) {
        return ALL.contains(type);
    }
}
