package com.enterpriseadmin.events;

import static com.enterpriseadmin.events.StreamImages.event;
import static com.enterpriseadmin.events.StreamImages.record;
import static com.enterpriseadmin.events.StreamImages.with;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.enterpriseadmin.auth.MemberStatus;
import com.enterpriseadmin.auth.OrgRole;
import com.enterpriseadmin.auth.TeamRole;
import com.enterpriseadmin.http.Json;
import com.enterpriseadmin.invitation.Invitation;
import com.enterpriseadmin.invitation.InvitationStatus;
import com.enterpriseadmin.invitation.InvitationStore;
import com.enterpriseadmin.invitation.TeamAssignment;
import com.enterpriseadmin.organization.Membership;
import com.enterpriseadmin.organization.OrganizationStore;
import com.enterpriseadmin.store.Ids;
import com.enterpriseadmin.store.Item;
import com.enterpriseadmin.store.Keys;
import com.enterpriseadmin.team.Budget;
import com.enterpriseadmin.team.TeamItems;
import com.enterpriseadmin.team.TeamMember;
import com.enterpriseadmin.team.TeamStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Item changes (images written by the real stores' item builders) → integration events, each validated against its
 * JSON Schema in docs/events/ — the schemas are the contract, this test keeps them true.
 */
class EventMapperTest {
    static final String ORG = "01hzx8k2m4n6p8r0s2t4v6w8y0";
    static final String TEAM = "01hzxteam0000000000000000a";
    static final String INVITATION = "01hzx9a1b2c3d4e5f6g7h8j9k0";
    static final String ADMIN = "3f1c2b7e-6a8d-4f3e-9d2a-0c1b2a3d4e5f";
    static final String GRACE = "9b2d4f6a-1c3e-4a5b-8d7f-0e1a2b3c4d5e";
    static final Instant NOW = Instant.parse("2026-11-29T10:00:00Z");

    final Json json = new Json();
    final EventMapper mapper = new EventMapper(json.mapper());
    final List<IntegrationEvent> published = new ArrayList<>();
    final PublishEventsHandler handler = new PublishEventsHandler(json.mapper(), mapper, () -> List.of(published::addAll));

    static Map<String, AttributeValue> invitation(InvitationStatus status, int sendCount) {
        return InvitationStore.toItem(new Invitation(INVITATION, ORG, "grace@example.com", GRACE, OrgRole.ADMIN,
                List.of(new TeamAssignment(TEAM, TeamRole.MEMBER)), status, ADMIN, NOW, NOW.plus(Duration.ofDays(7)), NOW, sendCount, 1, true));
    }

    static Map<String, AttributeValue> membership(OrgRole role) {
        return OrganizationStore.memberToItem(new Membership(ORG, GRACE, "grace@example.com", "Grace", role, MemberStatus.ACTIVE, Map.of(), NOW, NOW, 1));
    }

    static Map<String, AttributeValue> seat(TeamRole role) {
        return TeamStore.memberToItem(new TeamMember(ORG, TEAM, GRACE, "grace@example.com", "Grace", role, ADMIN, NOW, NOW, 1));
    }

    static Map<String, AttributeValue> team() {
        return TeamItems.newTeam(ORG, TEAM, "Design", "design", new Budget(Budget.Mode.LIMITED, 1000L, Budget.Period.MONTHLY), NOW);
    }

    /** A top-up ledger entry as CreditItems.ledger writes it. */
    static Map<String, AttributeValue> topUp() {
        String at = Ids.at(NOW);
        return Item.of(Keys.ledgerEntry(ORG, at, "01hzxentry000000000000000a"), "LEDGER").s("orgId", ORG).s("entryId", "01hzxentry000000000000000a")
                .s("at", at).s("kind", "TOP_UP").n("amount", 500).s("actor", ADMIN).s("source", "PURCHASE").s("reference", "po-1")
                .n("purchasedDelta", 500).n("consumedDelta", 0).n("heldDelta", 0).n("teamConsumedDelta", 0).n("teamHeldDelta", 0).build();
    }

    /** A budget alert item as the notifier writes it (NotificationStore, branch of issue 12 part A). */
    static Map<String, AttributeValue> alert(String direction) {
        return Item.of(new com.enterpriseadmin.store.Key("ORG#" + ORG, "ALERT#TEAM#" + TEAM + "#2026-11#80#" + direction), "ALERT")
                .s("alertId", "0b9c2a52-3f0e-3a8b-9a57-1c0e5b8d2f11").s("orgId", ORG).s("scope", "TEAM#" + TEAM).s("period", "2026-11")
                .n("threshold", 80).s("direction", direction).n("usage", 800).n("limit", 1000).s("at", NOW.toString()).s("teamId", TEAM).build();
    }

    static Map<String, AttributeValue> driftAudit() {
        return Item.of(Keys.auditEntry(ORG, Ids.at(NOW), "01hzxaudit000000000000000a"), "AUDIT").s("entryId", "01hzxaudit000000000000000a")
                .s("orgId", ORG).s("actor", "system").s("action", "credits.reconciled").s("targetType", "organization").s("targetId", ORG)
                .s("before", "{\"consumed\":10}").s("after", "{\"consumed\":12}").s("at", Ids.at(NOW)).build();
    }

    List<IntegrationEvent> publish(ObjectNode... records) throws Exception {
        published.clear();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(json.mapper().writeValueAsBytes(event(records))), out, null);
        assertEquals(0, json.mapper().readTree(out.toByteArray()).path("batchItemFailures").size());
        return List.copyOf(published);
    }

    List<String> types(List<IntegrationEvent> events) {
        return events.stream().map(IntegrationEvent::type).toList();
    }

    @Test
    void everyTypeFromRealItemImagesMatchesItsSchema() throws Exception {
        Map<String, AttributeValue> team = team();
        Map<String, AttributeValue> archived = with(team, "status", "ARCHIVED", "archivedAt", Ids.at(NOW), "updatedAt", Ids.at(NOW.plusSeconds(5)));
        List<IntegrationEvent> events = publish(
                record(null, invitation(InvitationStatus.PENDING, 1)),
                record(invitation(InvitationStatus.PENDING, 1), invitation(InvitationStatus.PENDING, 2)),
                record(invitation(InvitationStatus.PENDING, 2), invitation(InvitationStatus.ACCEPTED, 2)),
                record(invitation(InvitationStatus.PENDING, 2), invitation(InvitationStatus.DECLINED, 2)),
                record(invitation(InvitationStatus.PENDING, 2), invitation(InvitationStatus.REVOKED, 2)),
                record(invitation(InvitationStatus.PENDING, 2), invitation(InvitationStatus.EXPIRED, 2)),
                record(null, membership(OrgRole.USER)),
                record(membership(OrgRole.USER), membership(OrgRole.ADMIN)),
                record(membership(OrgRole.ADMIN), null),
                record(null, seat(TeamRole.MEMBER)),
                record(seat(TeamRole.MEMBER), seat(TeamRole.ADMIN)),
                record(seat(TeamRole.ADMIN), null),
                record(null, team),
                record(team, with(team, "name", "Design Ops", "nameKey", "design ops")),
                record(team, archived),
                record(team, with(team, "budgetLimit", 2000)),
                record(null, topUp()),
                record(null, alert("CROSSED")),
                record(null, alert("RECOVERED")),
                record(null, driftAudit()));
        assertEquals(new HashSet<>(EventTypes.ALL), new HashSet<>(types(events)), "every type is produced at least once");
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
        SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
        for (IntegrationEvent e : events) {
            Path file = schemas().resolve(e.type() + ".schema.json");
            JsonSchema schema = factory.getSchema(Files.readString(file), config);
            JsonNode envelope = json.mapper().readTree(json.write(e.envelope()));
            Set<ValidationMessage> errors = schema.validate(envelope);
            assertTrue(errors.isEmpty(), e.type() + ": " + errors + " in " + envelope);
        }
    }

    /** docs/events/, beside functions/ in the repository (not in sam build's copy of functions/ alone: skipped there). */
    private static Path schemas() {
        Path dir = Path.of("..", "docs", "events");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(dir), "docs/ is not beside functions/ (sam build copy)");
        return dir;
    }

    @Test
    void theSchemasRefuseWhatTheyShould() throws Exception {
        JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                .getSchema(Files.readString(schemas().resolve("member.added.schema.json")));
        JsonNode good = json.mapper().readTree(json.write(publish(record(null, membership(OrgRole.USER))).get(0).envelope()));
        assertTrue(schema.validate(good).isEmpty());
        ObjectNode noUser = good.deepCopy();
        ((ObjectNode) noUser.path("data")).remove("userId");
        ObjectNode wrongType = good.deepCopy();
        wrongType.put("type", "member.removed");
        assertEquals(false, schema.validate(noUser).isEmpty());
        assertEquals(false, schema.validate(wrongType).isEmpty());
    }

    @Test
    void aReplayedRecordGivesTheSameIdsAnotherRecordOtherIds() throws Exception {
        ObjectNode created = record(null, invitation(InvitationStatus.PENDING, 1));
        String first = publish(created).get(0).id();
        assertEquals(first, publish(created).get(0).id());
        assertNotEquals(first, publish(record(null, invitation(InvitationStatus.PENDING, 1))).get(0).id());
        assertTrue(EventMapper.isEventId(first), first);
        assertTrue(first.startsWith("evt_" + String.format("%013d", NOW.toEpochMilli())), "ids start with the change's time: " + first);
    }

    @Test
    void changesOfNoInterestGiveNoEvent() throws Exception {
        Map<String, AttributeValue> team = team();
        assertEquals(List.of(), publish(
                record(team, with(team, "periodConsumed", 40, "remaining", 960)),   // a consumption moves the counters
                record(membership(OrgRole.USER), with(membership(OrgRole.USER), "version", 2)),
                record(null, Item.of(Keys.pendingInvitation(ORG, "grace@example.com"), "PENDING_INVITATION").s("invitationId", INVITATION).build()),
                record(invitation(InvitationStatus.ACCEPTED, 1), invitation(InvitationStatus.ACCEPTED, 1))));
    }

    @Test
    void aSinkFailureReportsThatRecordAndStopsThereInOrder() throws Exception {
        List<IntegrationEvent> seen = new ArrayList<>();
        int[] calls = {0};
        PublishEventsHandler failing = new PublishEventsHandler(json.mapper(), mapper, () -> List.of(events -> {
            if (++calls[0] == 2) {
                throw new IllegalStateException("bus unavailable");
            }
            seen.addAll(events);
        }));
        ObjectNode a = record(null, membership(OrgRole.USER));
        ObjectNode b = record(null, seat(TeamRole.MEMBER));
        ObjectNode c = record(null, team());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        failing.handleRequest(new ByteArrayInputStream(json.mapper().writeValueAsBytes(event(a, b, c))), out, null);
        JsonNode answer = json.mapper().readTree(out.toByteArray());
        assertEquals(1, answer.path("batchItemFailures").size());
        assertEquals(b.path("dynamodb").path("SequenceNumber").asText(), answer.path("batchItemFailures").get(0).path("itemIdentifier").asText());
        assertEquals(List.of(EventTypes.MEMBER_ADDED), types(seen), "the record after the failed one is not handled");
    }
}
