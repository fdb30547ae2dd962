package com.enterpriseadmin.notification;

import com.enterpriseadmin.observability.Log;
import com.enterpriseadmin.store.Item;
import com.enterpriseadmin.store.Keys;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * What a change of the table tells someone (docs/notifications.md): invitations created, resent or revoked (the
 * invitee), a seat added or its role changed, an organization role changed, a member removed (that person), and a
 * LIMITED team crossing a budget threshold or recovering (the organization's OWNER/ADMINs and the team's ADMINs).
 *
 * <p>The stream delivers each change at least once and may replay it: every e-mail is claimed first by a
 * create-if-absent sent-marker named after what it announces ({@link NotificationStore#claim}), so a replay sends
 * nothing again; an e-mail SES does not accept gives its claim back and fails the change, which is retried. Any
 * other item is ignored. A change of a recognised item that lacks what that item always has is
 * {@link UnreadableChange} (a poison record: retried, then dead-lettered).
 */
public final class Notifier {
    private final NotificationStore store;
    private final Mailer mailer;
    private final Messages messages;
    private final Clock clock;

    public Notifier(NotificationStore store, Mailer mailer, Messages messages, Clock clock) {
        this.store = store;
        this.mailer = mailer;
        this.messages = messages;
        this.clock = clock;
    }

    public void handle(Change c) {
        if (c.pk() == null || c.sk() == null) {
            throw new UnreadableChange("a record without the table's key");
        }
        if (c.pk().startsWith("INVITATION#") && c.sk().equals("INVITATION")) {
            invitation(c);
        } else if (c.pk().startsWith("ORG#") && c.pk().indexOf('#', 4) < 0) {
            String orgId = c.pk().substring(4);
            if (c.sk().startsWith(Keys.TEAM_MEMBER_PREFIX)) {
                seat(orgId, c);
            } else if (c.sk().startsWith(Keys.MEMBER_PREFIX)) {
                membership(orgId, c);
            } else if (c.sk().startsWith(Keys.TEAM_PREFIX)) {
                budget(orgId, c);
            } else if (c.sk().equals(Keys.account(orgId).sk())) {
                lowBalance(orgId, c);
            } else if (c.sk().startsWith(Keys.WEBHOOK_PREFIX)) {
                webhook(orgId, c);
            }
        } else if (c.pk().startsWith("ORG#") && c.pk().contains("#LANE#") && c.sk().equals(Keys.account("x").sk())) {
            lowBalance(c.pk().substring(4, c.pk().indexOf("#LANE#")), c); // an escrow lane i >= 1 of the account
        }
    }

    // ---- invitations

    private void invitation(Change c) {
        if (c.removed()) {
            return;
        }
        Map<String, AttributeValue> now = c.newImage();
        String id = required(now, "invitationId", c);
        String orgId = required(now, "orgId", c);
        String email = required(now, "email", c);
        String status = required(now, "status", c);
        String oldStatus = Item.optStr(c.oldImage(), "status").orElse(null);
        if (status.equals("PENDING")) {
            long sendCount = Item.num(now, "sendCount");
            long before = c.oldImage().isEmpty() ? 0 : Item.num(c.oldImage(), "sendCount");
            if (c.inserted() || sendCount > before) {
                String inviter = Item.optStr(now, "invitedBy").flatMap(u -> store.get(Keys.membership(orgId, u)))
                        .map(m -> Item.optStr(m, "name").or(() -> Item.optStr(m, "email")).orElse("An administrator"))
                        .orElse("An administrator");
                sendOnce("INVITATION#" + id + "#SENT#" + sendCount, messages.invitation(email, orgName(orgId), inviter,
                        required(now, "role", c), id, required(now, "expiresAt", c), sendCount > 1));
            }
        } else if (status.equals("REVOKED") && "PENDING".equals(oldStatus)) {
            sendOnce("INVITATION#" + id + "#REVOKED", messages.invitationRevoked(email, orgName(orgId)));
        }
    }

    // ---- seats and memberships

    private void seat(String orgId, Change c) {
        if (c.removed()) {
            return;
        }
        Map<String, AttributeValue> now = c.newImage();
        String teamId = required(now, "teamId", c);
        String userId = required(now, "userId", c);
        String email = required(now, "email", c);
        String role = required(now, "role", c);
        String teamName = store.get(Keys.team(orgId, teamId)).flatMap(t -> Item.optStr(t, "name")).orElse(teamId);
        String seat = "SEAT#" + orgId + "#" + teamId + "#" + userId;
        if (c.inserted()) {
            sendOnce(seat + "#ADDED#" + Item.optStr(now, "addedAt").orElse(c.sequenceNumber()), messages.addedToTeam(email, orgName(orgId), teamName, role));
        } else if (!Objects.equals(role, Item.optStr(c.oldImage(), "role").orElse(null))) {
            sendOnce(seat + "#ROLE#" + Item.num(now, "version"), messages.roleChanged(email, orgName(orgId), "the team " + teamName, role));
        }
    }

    private void membership(String orgId, Change c) {
        if (c.removed()) {
            Map<String, AttributeValue> then = c.oldImage();
            String userId = required(then, "userId", c);
            String email = required(then, "email", c);
            sendOnce("MEMBER#" + orgId + "#" + userId + "#REMOVED#" + Item.optStr(then, "joinedAt").orElse(c.sequenceNumber()),
                    messages.removedFromOrganization(email, orgName(orgId)));
        } else if (c.modified()) {
            Map<String, AttributeValue> now = c.newImage();
            String role = required(now, "role", c);
            if (!Objects.equals(role, Item.optStr(c.oldImage(), "role").orElse(null))) {
                String orgName = orgName(orgId);
                sendOnce("MEMBER#" + orgId + "#" + required(now, "userId", c) + "#ROLE#" + Item.num(now, "version"),
                        messages.roleChanged(required(now, "email", c), orgName, orgName, role));
            }
        }
    }

    // ---- budget alerts

    private void budget(String orgId, Change c) {
        if (c.removed()) {
            return;
        }
        var transitions = BudgetAlerts.transitions(c.oldImage(), c.newImage());
        if (transitions.isEmpty()) {
            return;
        }
        String teamId = required(c.newImage(), "teamId", c);
        String teamName = Item.optStr(c.newImage(), "name").orElse(teamId);
        for (BudgetAlerts.Transition t : transitions) {
            NotificationStore.Alert alert = NotificationStore.Alert.of(orgId, teamId, t, clock.instant());
            if (!store.recordAlert(alert)) {
                continue; // a recovery of a crossing that was never announced
            }
            Log.info("budget-alert", "orgId", orgId, "teamId", teamId, "alertId", alert.alertId(), "threshold", t.threshold(),
                    "direction", t.direction().name(), "period", t.period());
            String orgName = orgName(orgId);
            for (NotificationStore.Recipient r : store.budgetRecipients(orgId, teamId)) {
                sendOnce("ALERT#" + alert.alertId() + "#" + r.userId(), messages.budgetAlert(r.email(), orgName, teamName, teamId, t));
            }
        }
    }

    /**
     * The organization's low balance: one read of its setting per account change (off the request path); a crossing
     * is an ORG alert of the period {@code P{purchased}}; a recovery recovers every open ORG alert.
     */
    private void lowBalance(String orgId, Change c) {
        if (c.removed()) {
            return;
        }
        Map<String, AttributeValue> setting = store.get(Keys.organization(orgId)).map(o -> o.get("lowBalanceAlert"))
                .filter(AttributeValue::hasM).map(AttributeValue::m).orElse(Map.of());
        Map<String, AttributeValue> before = c.oldImage();
        Map<String, AttributeValue> after = c.newImage();
        if (!setting.isEmpty() && !before.isEmpty() && (!c.pk().equals(Keys.org(orgId)) || Item.num(after, "laneItems") > 1)) {
            // Escrow lanes (docs/scaling.md): the organization's credits are the sum of its lanes, which this change
            // moved by its own lane's difference (a rebalance moves none: no crossing). purchased is lane 0's.
            NotificationStore.LaneTotals now = store.laneTotals(orgId);
            long moved = Item.num(after, "available") - Item.num(before, "available");
            boolean lane0 = c.pk().equals(Keys.org(orgId));
            before = Map.of("available", AttributeValue.fromN(Long.toString(now.available() - moved)),
                    "purchased", AttributeValue.fromN(Long.toString(lane0 ? Item.num(before, "purchased") : now.purchased())));
            after = Map.of("available", AttributeValue.fromN(Long.toString(now.available())),
                    "purchased", AttributeValue.fromN(Long.toString(lane0 ? Item.num(after, "purchased") : now.purchased())));
        }
        var direction = BudgetAlerts.lowBalance(before, after, setting);
        if (direction.isEmpty()) {
            return;
        }
        long available = Item.num(after, "available");
        long purchased = Item.num(after, "purchased");
        java.util.List<NotificationStore.Alert> alerts = new java.util.ArrayList<>();
        if (direction.get() == BudgetAlerts.Direction.CROSSED) {
            alerts.add(NotificationStore.Alert.of(orgId, null, "ORG", "P" + purchased, BudgetAlerts.lowBalanceThreshold(setting, c.newImage()),
                    BudgetAlerts.Direction.CROSSED, available, purchased, clock.instant()));
        } else {
            java.util.Set<String> recovered = new java.util.HashSet<>();
            java.util.List<NotificationStore.Alert> all = store.alerts(orgId).stream().filter(a -> a.scope().equals("ORG")).toList();
            all.stream().filter(a -> a.direction() == BudgetAlerts.Direction.RECOVERED).forEach(a -> recovered.add(a.period() + "|" + a.threshold()));
            all.stream().filter(a -> a.direction() == BudgetAlerts.Direction.CROSSED && !recovered.contains(a.period() + "|" + a.threshold()))
                    .forEach(a -> alerts.add(NotificationStore.Alert.of(orgId, null, "ORG", a.period(), a.threshold(),
                            BudgetAlerts.Direction.RECOVERED, available, purchased, clock.instant())));
        }
        String orgName = orgName(orgId);
        for (NotificationStore.Alert alert : alerts) {
            if (!store.recordAlert(alert)) {
                continue;
            }
            Log.info("low-balance-alert", "orgId", orgId, "alertId", alert.alertId(), "direction", alert.direction().name());
            for (NotificationStore.Recipient r : store.budgetRecipients(orgId, null)) {
                sendOnce("ALERT#" + alert.alertId() + "#" + r.userId(), messages.lowBalance(r.email(), orgName,
                        alert.direction() == BudgetAlerts.Direction.CROSSED, available, alert.threshold()));
            }
        }
    }

    // ---- webhook endpoints

    /**
     * An endpoint the delivery worker disabled (ENABLED → DISABLED, reason {@code failing-since-…}): the organization's
     * OWNER/ADMINs are told, once per disabling (its version).
     */
    private void webhook(String orgId, Change c) {
        if (c.removed() || c.inserted()) {
            return;
        }
        Map<String, AttributeValue> now = c.newImage();
        if (!"DISABLED".equals(Item.optStr(now, "status").orElse(null)) || !"ENABLED".equals(Item.optStr(c.oldImage(), "status").orElse(null))) {
            return;
        }
        String webhookId = required(now, "webhookId", c);
        String url = required(now, "url", c);
        String reason = Item.optStr(now, "disabledReason").orElse("");
        if (!reason.startsWith("failing-since-")) {
            return; // an administrator disabled it (disabled-by-administrator): they know
        }
        reason = "every delivery attempt has failed since " + reason.substring("failing-since-".length());
        String orgName = orgName(orgId);
        for (NotificationStore.Recipient r : store.budgetRecipients(orgId, null)) {
            sendOnce("WEBHOOK#" + orgId + "#" + webhookId + "#DISABLED#" + Item.num(now, "version") + "#" + r.userId(),
                    messages.webhookDisabled(r.email(), orgName, url, reason));
        }
    }

    // ---- helpers

    /** Sends the e-mail unless its marker says it went out; a refused e-mail gives the marker back and fails. */
    private void sendOnce(String dedupeKey, Email email) {
        if (!store.claim(dedupeKey, clock.instant())) {
            Log.info("notification-already-sent", "dedupeKey", dedupeKey);
            return;
        }
        try {
            mailer.send(email);
        } catch (RuntimeException e) {
            store.release(dedupeKey);
            throw e;
        }
        Log.info("notification-sent", "dedupeKey", dedupeKey);
    }

    private String orgName(String orgId) {
        return store.get(Keys.organization(orgId)).flatMap(o -> Item.optStr(o, "name")).orElse(orgId);
    }

    private static String required(Map<String, AttributeValue> image, String name, Change c) {
        return Item.optStr(image, name).filter(v -> !v.isBlank())
                .orElseThrow(() -> new UnreadableChange(c.eventName() + " of " + c.pk() + " / " + c.sk() + " has no " + name));
    }
}
