package com.enterpriseadmin.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.enterpriseadmin.it.asset.AssetFixture;
import com.enterpriseadmin.local.Template;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * The authorization matrix of docs/domain.md ("Who does what") as data: every route of template.yaml ×
 * every kind of caller × the expected status, plus id-swapping rows (another organization's team / hold /
 * invitation / user id under one's own organization path: 404, never 200 or 403). One world is built once;
 * every row sends a VALID request (a permitted caller gets 2xx); rows that change state get their own
 * throwaway target when they are expected to succeed. A route of the template without a row fails the test.
 */
class AuthorizationMatrixE2EIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TestStack stack = TestStack.get();

    /** The kinds of caller. INVITEE exists only for the accept / decline routes (the invitation's own person). */
    enum Caller {
        OWNER, ORG_ADMIN, ORG_USER, TEAM_ADMIN, OTHER_TEAM_ADMIN, TEAM_MEMBER, SUSPENDED, REMOVED, OTHER_ORG, ANONYMOUS, IAM, INVITEE
    }

    /** A signed-in person and their user id. */
    record Person(String userId, String email, String token) {}

    /** The ids a request is about. */
    record Target(String orgId, String teamId, String userId, String holdId, String invitationId, String assetId) {
        Target withOrg(String v) { return new Target(v, teamId, userId, holdId, invitationId, assetId); }
        Target withTeam(String v) { return new Target(orgId, v, userId, holdId, invitationId, assetId); }
        Target withUser(String v) { return new Target(orgId, teamId, v, holdId, invitationId, assetId); }
        Target withHold(String v) { return new Target(orgId, teamId, userId, v, invitationId, assetId); }
        Target withInvitation(String v) { return new Target(orgId, teamId, userId, holdId, v, assetId); }
        Target withAsset(String v) { return new Target(orgId, teamId, userId, holdId, invitationId, v); }
    }

    /** A body for a route, fresh per request (unique names, references). */
    interface Body { String get(); }

    /**
     * One route: its success status, who may call it (callers not listed get the default refusal), its body,
     * and, for requests that change state, a factory of a throwaway target used when the row expects success.
     */
    record Route(String method, String pathTemplate, int success, Set<Caller> permitted, Body body, Supplier<Target> fresh) {
        String key() { return method + " " + pathTemplate; }
    }

    /** One row of the matrix. */
    record Row(String routeKey, String caller, Set<Integer> expected, Route route, Caller as, Supplier<Target> target, String note) {}

    // ----------------------------------------------------------------------------- the world

    static Person owner, admin, user, teamAdmin, otherTeamAdmin, teamMember, suspended, removed, otherOwner, otherMember;
    static Person seatTarget, userTarget, inviteeBystander;
    static String orgA, orgB, teamA, teamA2, teamB, holdA, holdB, invitationA, invitationB;
    /** READY reference assets shared with team A (org A) and team B (org B). */
    static String assetA, assetB;
    /** Two LIMITED teams of org A (team ADMIN and MEMBER seated in the first), a consumption and a top-up to correct, a PENDING budget request. */
    static String limitedA1, limitedA2, consumptionA, topUpA, requestA;
    /** A webhook endpoint of org A and the delivery of an event to it (team.created of a team made after it). */
    static String webhookA, deliveryA;
    static final Map<Caller, Person> people = new EnumMap<>(Caller.class);

    @BeforeAll
    static void world() {
        owner = person();
        orgA = createOrg(owner);
        otherOwner = person();
        orgB = createOrg(otherOwner);
        teamA = team(orgA, owner);
        teamA2 = team(orgA, owner);
        teamB = team(orgB, otherOwner);
        admin = member(orgA, owner, "ADMIN");
        user = member(orgA, owner, "USER");
        teamAdmin = member(orgA, owner, "USER");
        seat(orgA, teamA, owner, teamAdmin, "ADMIN");
        otherTeamAdmin = member(orgA, owner, "USER");
        seat(orgA, teamA2, owner, otherTeamAdmin, "ADMIN");
        teamMember = member(orgA, owner, "USER");
        seat(orgA, teamA, owner, teamMember, "MEMBER");
        seatTarget = member(orgA, owner, "USER");
        seat(orgA, teamA, owner, seatTarget, "MEMBER");
        userTarget = member(orgA, owner, "USER");
        suspended = member(orgA, owner, "USER");
        seat(orgA, teamA, owner, suspended, "MEMBER");
        removed = member(orgA, owner, "USER");
        seat(orgA, teamA, owner, removed, "MEMBER");
        otherMember = member(orgB, otherOwner, "USER");
        seat(orgB, teamB, otherOwner, otherMember, "MEMBER");

        topUp(orgA, owner, 1_000_000);
        topUp(orgB, otherOwner, 1_000_000);
        topUpA = expect(201, withKey("POST", "/v1/organizations/" + orgA + "/credits/top-ups", owner,
                json(Map.of("amount", 1000, "source", "CONTRACT")))).path("entryId").asText();
        limitedA1 = expect(201, stack.post("/v1/organizations/" + orgA + "/teams", owner.token(),
                Map.of("name", "Limited " + suffix(), "budget", Map.of("mode", "LIMITED", "limit", 100_000)))).path("teamId").asText();
        limitedA2 = expect(201, stack.post("/v1/organizations/" + orgA + "/teams", owner.token(),
                Map.of("name", "Limited " + suffix(), "budget", Map.of("mode", "LIMITED", "limit", 0)))).path("teamId").asText();
        seat(orgA, limitedA1, owner, teamAdmin, "ADMIN");
        seat(orgA, limitedA1, owner, teamMember, "MEMBER");
        consumptionA = expect(201, withKey("POST", "/v1/organizations/" + orgA + "/teams/" + limitedA1 + "/consumptions", teamMember,
                json(Map.of("amount", 1000)))).path("entryId").asText();
        requestA = budgetRequest();
        holdA = hold(orgA, teamA, teamMember);
        holdB = hold(orgB, teamB, otherMember);
        inviteeBystander = person();
        invitationA = invite(orgA, owner, inviteeBystander);
        invitationB = invite(orgB, otherOwner, inviteeBystander);
        assetA = AssetFixture.readyAsset(orgA, owner.token(), teamA);
        assetB = AssetFixture.readyAsset(orgB, otherOwner.token(), teamB);
        webhookA = webhook();
        team(orgA, owner); // its team.created is delivered to webhookA
        for (int i = 0; i < 150 && deliveryA == null; i++) {
            var items = expect(200, stack.get("/v1/organizations/" + orgA + "/webhooks/" + webhookA + "/deliveries", owner.token())).path("items");
            if (items.size() > 0) {
                deliveryA = items.get(0).path("deliveryId").asText();
            } else {
                sleep(200);
            }
        }
        if (deliveryA == null) {
            throw new AssertionError("no webhook delivery of team.created within 30 s");
        }

        expect(200, stack.send("PATCH", "/v1/organizations/" + orgA + "/users/" + suspended.userId(), owner.token(), Map.of("status", "SUSPENDED")));
        expect(204, stack.send("DELETE", "/v1/organizations/" + orgA + "/users/" + removed.userId(), owner.token(), null));

        people.put(Caller.OWNER, owner);
        people.put(Caller.ORG_ADMIN, admin);
        people.put(Caller.ORG_USER, user);
        people.put(Caller.TEAM_ADMIN, teamAdmin);
        people.put(Caller.OTHER_TEAM_ADMIN, otherTeamAdmin);
        people.put(Caller.TEAM_MEMBER, teamMember);
        people.put(Caller.SUSPENDED, suspended);
        people.put(Caller.REMOVED, removed);
        people.put(Caller.OTHER_ORG, otherOwner);
    }

    /** The default target: org A, team A, a seated member of team A (also an org member), team member's hold, a pending invitation. */
    static Target base() {
        return new Target(orgA, teamA, seatTarget.userId(), holdA, invitationA, assetA);
    }

    // ----------------------------------------------------------------------------- the matrix as data

    static final Set<Caller> SIGNED_IN = EnumSet.of(Caller.OWNER, Caller.ORG_ADMIN, Caller.ORG_USER, Caller.TEAM_ADMIN,
            Caller.OTHER_TEAM_ADMIN, Caller.TEAM_MEMBER, Caller.SUSPENDED, Caller.REMOVED, Caller.OTHER_ORG);
    static final Set<Caller> ORG_MEMBERS = EnumSet.of(Caller.OWNER, Caller.ORG_ADMIN, Caller.ORG_USER, Caller.TEAM_ADMIN,
            Caller.OTHER_TEAM_ADMIN, Caller.TEAM_MEMBER);
    static final Set<Caller> ADMINS = EnumSet.of(Caller.OWNER, Caller.ORG_ADMIN);
    static final Set<Caller> TEAM_MANAGERS = EnumSet.of(Caller.OWNER, Caller.ORG_ADMIN, Caller.TEAM_ADMIN);
    static final Set<Caller> OWN_USAGE = EnumSet.of(Caller.OWNER, Caller.ORG_ADMIN, Caller.TEAM_ADMIN, Caller.TEAM_MEMBER);
    static final Set<Caller> SEATED = EnumSet.of(Caller.TEAM_ADMIN, Caller.TEAM_MEMBER);
    /** The hold's owner (TEAM_MEMBER placed every hold of team A) or MANAGE_TEAM_MEMBERS. */
    static final Set<Caller> HOLD_CLOSERS = EnumSet.of(Caller.OWNER, Caller.ORG_ADMIN, Caller.TEAM_ADMIN, Caller.TEAM_MEMBER);

    /**
     * Consumption and hold placement: the caller's seat is the permission (one transaction, nothing read first).
     * Another organization's team id, or one that exists nowhere, is the same 404 {@code team-not-found} as on
     * every other team route (the team guard's cancellation shows no item), also for a member seated elsewhere.
     */
    static final Set<String> SEAT_IS_THE_PERMISSION = Set.of(
            "POST /v1/organizations/{orgId}/teams/{teamId}/consumptions", "POST /v1/organizations/{orgId}/teams/{teamId}/holds");
    static final String NO_SUCH_TEAM = "01nosuchteam00000000000000";

    static final String O = "/v1/organizations/{orgId}";
    static final String T = O + "/teams/{teamId}";

    static List<Route> routes() {
        Body none = () -> null;
        return List.of(
                new Route("GET", "/v1/me", 200, SIGNED_IN, none, null),
                new Route("POST", "/v1/organizations", 201, SIGNED_IN, () -> json(Map.of("name", "Matrix " + suffix())), null),
                new Route("GET", O, 200, ORG_MEMBERS, none, null),
                new Route("PATCH", O, 200, ADMINS, () -> json(Map.of("name", "Org A " + suffix())), null),
                new Route("GET", O + "/users", 200, ADMINS, none, null),
                new Route("PATCH", O + "/users/{userId}", 200, ADMINS, () -> json(Map.of("role", "USER")),
                        () -> base().withUser(userTarget.userId())),
                new Route("DELETE", O + "/users/{userId}", 204, ADMINS, none,
                        () -> base().withUser(member(orgA, owner, "USER").userId())),
                new Route("GET", O + "/audit-log", 200, ADMINS, none, null),
                new Route("POST", O + "/invitations", 201, ADMINS, null, null), // body built per row: a fresh invitee
                new Route("GET", O + "/invitations", 200, ADMINS, none, null),
                new Route("POST", O + "/invitations/{invitationId}/resend", 200, ADMINS, none, null),
                new Route("POST", O + "/invitations/{invitationId}/revoke", 200, ADMINS, none,
                        () -> base().withInvitation(invite(orgA, owner, person()))),
                new Route("POST", "/v1/invitations/{invitationId}/accept", 200, EnumSet.of(Caller.INVITEE), none, null),
                new Route("POST", "/v1/invitations/{invitationId}/decline", 200, EnumSet.of(Caller.INVITEE), none, null),
                new Route("POST", O + "/teams", 201, ADMINS, () -> json(Map.of("name", "Team " + suffix(), "budget", Map.of("mode", "SHARED_POOL"))), null),
                new Route("GET", O + "/teams", 200, ADMINS, none, null),
                new Route("GET", T, 200, TEAM_MANAGERS, none, null),
                new Route("PATCH", T, 200, ADMINS, () -> json(Map.of("name", "Team A " + suffix())), null),
                new Route("POST", T + "/members", 201, TEAM_MANAGERS, () -> json(Map.of("userId", userTarget.userId(), "role", "MEMBER")),
                        () -> base().withUser(member(orgA, owner, "USER").userId())),
                new Route("GET", T + "/members", 200, TEAM_MANAGERS, none, null),
                new Route("PATCH", T + "/members/{userId}", 200, TEAM_MANAGERS, () -> json(Map.of("role", "MEMBER")), null),
                new Route("DELETE", T + "/members/{userId}", 200, TEAM_MANAGERS, none, () -> {
                    Person p = member(orgA, owner, "USER");
                    seat(orgA, teamA, owner, p, "MEMBER");
                    return base().withUser(p.userId());
                }),
                new Route("PUT", T + "/budget", 200, ADMINS, () -> json(Map.of("mode", "SHARED_POOL")), null),
                // Alerts: an organization administrator sees all, a team ADMIN (of any team) their teams'.
                new Route("GET", O + "/alerts", 200, EnumSet.of(Caller.OWNER, Caller.ORG_ADMIN, Caller.TEAM_ADMIN, Caller.OTHER_TEAM_ADMIN), none, null),
                new Route("PUT", T + "/alert-thresholds", 200, ADMINS, () -> json(Map.of("thresholds", List.of(50, 80, 100))), null),
                new Route("PUT", O + "/low-balance-alert", 200, ADMINS, () -> json(Map.of("amount", 100)), null),
                new Route("POST", O + "/credits/top-ups", 201, ADMINS, () -> json(Map.of("amount", 10, "source", "CONTRACT")), null),
                new Route("GET", O + "/credits", 200, ADMINS, none, null),
                new Route("GET", O + "/ledger", 200, ADMINS, none, null),
                new Route("GET", T + "/usage", 200, OWN_USAGE, none, null),
                new Route("POST", "/v1/billing/organizations/{orgId}/credits", 201, EnumSet.of(Caller.IAM),
                        () -> json(Map.of("amount", 10, "source", "PURCHASE", "reference", "INV-" + suffix())), null),
                new Route("POST", T + "/consumptions", 201, SEATED, () -> json(Map.of("amount", 1)), null),
                new Route("POST", T + "/holds", 201, SEATED, () -> json(Map.of("amount", 1, "expiresInSeconds", 600)), null),
                new Route("POST", T + "/holds/{holdId}/capture", 200, HOLD_CLOSERS, () -> json(Map.of("amount", 1)),
                        () -> base().withHold(hold(orgA, teamA, teamMember))),
                new Route("POST", T + "/holds/{holdId}/release", 200, HOLD_CLOSERS, () -> "{}",
                        () -> base().withHold(hold(orgA, teamA, teamMember))),
                // Reference assets (docs/assets.md, "Who"): asset A is READY and shared with team A only.
                new Route("POST", O + "/assets", 201, TEAM_MANAGERS, () -> json(Map.of("name", "Asset " + suffix(), "contentType", "image/png",
                        "size", 16, "visibility", "TEAMS", "teamIds", List.of(teamA))), null),
                new Route("GET", O + "/assets", 200, ORG_MEMBERS, none, null),
                new Route("GET", A, 200, ASSET_READERS, none, null),
                new Route("PATCH", A, 200, TEAM_MANAGERS, () -> json(Map.of("name", "Asset A " + suffix())), null),
                new Route("DELETE", A, 204, TEAM_MANAGERS, none, () -> base().withAsset(AssetFixture.readyAsset(orgA, owner.token(), teamA))),
                new Route("POST", A + "/complete", 200, TEAM_MANAGERS, none, null),
                new Route("POST", A + "/restore", 200, ADMINS, none, null),
                new Route("GET", O + "/storage", 200, ADMINS, none, null),
                new Route("POST", O + "/credits/refunds", 201, ADMINS,
                        () -> json(Map.of("ledgerEntryId", consumptionA, "amount", 1, "reason", "matrix")), null),
                new Route("POST", O + "/credits/top-ups/{entryId}/reversals", 201, ADMINS, () -> json(Map.of("amount", 1, "reason", "matrix")), null),
                new Route("POST", O + "/budget-transfers", 201, ADMINS,
                        () -> json(Map.of("fromTeamId", limitedA1, "toTeamId", limitedA2, "amount", 1)), null),
                new Route("POST", T + "/budget-requests", 201, TEAM_MANAGERS, () -> json(Map.of("amount", 1, "reason", "matrix")),
                        () -> base().withTeam(limitedA1)),
                new Route("GET", O + "/budget-requests", 200, ADMINS, none, null),
                // {requestId}: a fresh PENDING request (made by the team ADMIN) for a row that expects success, else requestA.
                new Route("POST", O + "/budget-requests/{requestId}/approve", 200, ADMINS, none, null),
                new Route("POST", O + "/budget-requests/{requestId}/decline", 200, ADMINS, none, null),
                new Route("POST", O + "/budget-requests/{requestId}/withdraw", 200, EnumSet.of(Caller.TEAM_ADMIN), none, null),
                // Administration tools (docs/admin-tools.md).
                new Route("GET", O + "/usage", 200, ADMINS, none, null),
                new Route("POST", O + "/invitations/batch", 200, ADMINS,
                        () -> json(Map.of("invitations", List.of(Map.of("email", person().email(), "role", "USER")))), null),
                new Route("PATCH", O + "/invitations/{invitationId}", 200, ADMINS, () -> json(Map.of("role", "USER")),
                        () -> base().withInvitation(invite(orgA, owner, person()))),
                // Webhooks (docs/webhooks.md): OWNER/ADMIN only. {webhookId}: webhookA, or a fresh one for a DELETE that succeeds.
                new Route("POST", O + "/webhooks", 201, ADMINS,
                        () -> json(Map.of("url", "http://127.0.0.1:9/matrix", "eventTypes", List.of("team.created"))), null),
                new Route("GET", O + "/webhooks", 200, ADMINS, none, null),
                new Route("GET", W, 200, ADMINS, none, null),
                new Route("PATCH", W, 200, ADMINS, () -> json(Map.of("description", "matrix " + suffix())), null),
                new Route("DELETE", W, 204, ADMINS, none, null),
                new Route("GET", W + "/deliveries", 200, ADMINS, none, null),
                new Route("POST", W + "/deliveries/{deliveryId}/redeliver", 202, ADMINS, none, null));
    }

    static final String W = O + "/webhooks/{webhookId}";

    /** A new webhook endpoint of org A (for team.created; nothing listens there). */
    static String webhook() {
        return expect(201, stack.post("/v1/organizations/" + orgA + "/webhooks", owner.token(),
                Map.of("url", "http://127.0.0.1:9/matrix", "eventTypes", List.of("team.created")))).path("webhookId").asText();
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static final String A = O + "/assets/{assetId}";
    static final Set<Caller> ASSET_READERS = EnumSet.of(Caller.OWNER, Caller.ORG_ADMIN, Caller.TEAM_ADMIN, Caller.TEAM_MEMBER);


    /** The refusal a caller gets from a route that does not permit them. */
    static int refusal(Route route, Caller caller) {
        boolean iamRoute = route.permitted().contains(Caller.IAM);
        if (iamRoute) {
            return 403; // API Gateway's IAM authorizer: no / wrong signature (a Cognito token is no signature)
        }
        boolean invitationAnswer = route.permitted().contains(Caller.INVITEE);
        return switch (caller) {
            case ANONYMOUS, IAM -> 401; // the JWT authorizer: no Bearer token
            case REMOVED, OTHER_ORG -> 404; // not a member: organization-not-found
            case SUSPENDED -> invitationAnswer ? 404 : 403; // member-suspended
            // Asset A is shared with team A only: to other members it does not exist (asset-not-found, never 403).
            case ORG_USER, OTHER_TEAM_ADMIN -> invitationAnswer || route.pathTemplate().contains("{assetId}") ? 404 : 403;
            default -> invitationAnswer ? 404 : 403; // invitation-not-found / forbidden
        };
    }

    static List<Row> rows() {
        List<Row> rows = new ArrayList<>();
        List<Route> routes = routes();
        for (Route route : routes) {
            for (Caller caller : Caller.values()) {
                boolean invitationAnswer = route.permitted().contains(Caller.INVITEE);
                if (caller == Caller.INVITEE && !invitationAnswer) {
                    continue;
                }
                boolean ok = route.permitted().contains(caller);
                int expected = ok ? route.success() : refusal(route, caller);
                Supplier<Target> target = ok && route.fresh() != null ? route.fresh() : AuthorizationMatrixE2EIT::base;
                rows.add(new Row(route.key(), caller.name(), Set.of(expected), route, caller, target, ""));
            }
        }
        // Id swapping: another organization's ids under one's own organization path are 404, never 200 / 403.
        Map<String, Route> byKey = routes.stream().collect(Collectors.toMap(Route::key, r -> r));
        for (String key : List.of("GET " + T, "PATCH " + T, "POST " + T + "/members", "GET " + T + "/members", "PATCH " + T + "/members/{userId}",
                "DELETE " + T + "/members/{userId}", "PUT " + T + "/budget", "PUT " + T + "/alert-thresholds", "GET " + T + "/usage", "POST " + T + "/consumptions",
                "POST " + T + "/holds", "POST " + T + "/holds/{holdId}/capture", "POST " + T + "/holds/{holdId}/release")) {
            Set<Integer> swapped = Set.of(404);
            String note = "swap team";
            rows.add(new Row(key, "OWNER+teamId(orgB)", swapped, byKey.get(key), Caller.OWNER,
                    () -> base().withTeam(teamB).withUser(otherMember.userId()).withHold(holdB), note));
            rows.add(new Row(key, "OTHER_ORG+teamId(orgA) under orgB", swapped, byKey.get(key), Caller.OTHER_ORG,
                    () -> base().withOrg(orgB).withUser(otherMember.userId()).withHold(holdB), note));
            // The answer for a team id that exists nowhere: must equal the swapped one (else existence leaks).
            rows.add(new Row(key, "OWNER+teamId(none)", swapped, byKey.get(key), Caller.OWNER,
                    () -> base().withTeam(NO_SUCH_TEAM).withUser(otherMember.userId()).withHold(holdB), note.replace("swap", "unknown")));
            if (SEAT_IS_THE_PERMISSION.contains(key)) {
                rows.add(new Row(key, "TEAM_MEMBER+teamId(orgB)", swapped, byKey.get(key), Caller.TEAM_MEMBER,
                        () -> base().withTeam(teamB), note));
                rows.add(new Row(key, "TEAM_MEMBER+teamId(none)", swapped, byKey.get(key), Caller.TEAM_MEMBER,
                        () -> base().withTeam(NO_SUCH_TEAM), note.replace("swap", "unknown")));
            }
        }
        for (String key : List.of("POST " + T + "/holds/{holdId}/capture", "POST " + T + "/holds/{holdId}/release")) {
            for (Caller c : List.of(Caller.OWNER, Caller.TEAM_ADMIN, Caller.TEAM_MEMBER)) {
                rows.add(new Row(key, c + "+holdId(orgB)", Set.of(404), byKey.get(key), c, () -> base().withHold(holdB), "swap hold"));
            }
            rows.add(new Row(key, "OWNER+holdId(teamA) under teamA2", Set.of(404), byKey.get(key), Caller.OWNER,
                    () -> base().withTeam(teamA2), "swap hold team"));
        }
        for (String key : List.of("GET " + A, "PATCH " + A, "DELETE " + A, "POST " + A + "/complete", "POST " + A + "/restore")) {
            rows.add(new Row(key, "OWNER+assetId(orgB)", Set.of(404), byKey.get(key), Caller.OWNER, () -> base().withAsset(assetB), "swap asset"));
        }
        for (String key : List.of("POST " + O + "/invitations/{invitationId}/resend", "POST " + O + "/invitations/{invitationId}/revoke")) {
            for (Caller c : List.of(Caller.OWNER, Caller.ORG_ADMIN)) {
                rows.add(new Row(key, c + "+invitationId(orgB)", Set.of(404), byKey.get(key), c, () -> base().withInvitation(invitationB), "swap invitation"));
            }
        }
        for (String key : List.of("PATCH " + O + "/users/{userId}", "DELETE " + O + "/users/{userId}",
                "PATCH " + T + "/members/{userId}", "DELETE " + T + "/members/{userId}")) {
            for (Caller c : key.contains("/members/") ? List.of(Caller.OWNER, Caller.TEAM_ADMIN) : List.of(Caller.OWNER, Caller.ORG_ADMIN)) {
                rows.add(new Row(key, c + "+userId(orgB)", Set.of(404), byKey.get(key), c, () -> base().withUser(otherMember.userId()), "swap user"));
            }
        }
        rows.add(new Row("POST " + T + "/members", "OWNER+userId(orgB) in body", Set.of(404), byKey.get("POST " + T + "/members"), Caller.OWNER,
                AuthorizationMatrixE2EIT::base, "swap user in body"));
        rows.add(new Row("POST /v1/billing/organizations/{orgId}/credits", "IAM+unknown org", Set.of(404),
                byKey.get("POST /v1/billing/organizations/{orgId}/credits"), Caller.IAM, () -> base().withOrg("01nosuchorganization00000"), "unknown org"));
        // Destructive rows last (their own throwaway targets keep them from breaking other rows anyway).
        List<String> destructive = List.of("DELETE", "revoke", "accept", "decline", "capture", "release");
        List<Row> ordered = new ArrayList<>(rows.stream().filter(r -> destructive.stream().noneMatch(r.routeKey()::contains)).toList());
        ordered.addAll(rows.stream().filter(r -> destructive.stream().anyMatch(r.routeKey()::contains)).toList());
        return ordered;
    }

    // ----------------------------------------------------------------------------- the test

    @Test
    void everyRouteTimesEveryCallerAnswersAsTheMatrixSays() throws Exception {
        Set<String> templateRoutes = Template.load(TestStack.repositoryRoot().resolve("template.yaml")).routes().stream()
                .map(Template.Route::routeKey).collect(Collectors.toCollection(TreeSet::new));
        List<Row> rows = rows();
        Set<String> covered = rows.stream().map(Row::routeKey).collect(Collectors.toCollection(TreeSet::new));
        Set<String> uncovered = new TreeSet<>(templateRoutes);
        uncovered.removeAll(covered);
        Set<String> unknown = new TreeSet<>(covered);
        unknown.removeAll(templateRoutes);

        List<String> mismatches = new ArrayList<>();
        Map<String, Map<String, String>> table = new TreeMap<>();
        for (Row row : rows) {
            TestStack.Response r = send(row);
            boolean ok = row.expected().contains(r.status());
            String cell = ok ? String.valueOf(r.status()) : r.status() + "!" + row.expected();
            table.computeIfAbsent(row.routeKey(), k -> new LinkedHashMap<>()).merge(row.caller(), cell, (a, b) -> a + "," + b);
            if (!ok) {
                mismatches.add(row.routeKey() + " as " + row.caller() + (row.note().isEmpty() ? "" : " (" + row.note() + ")")
                        + ": expected " + row.expected() + ", got " + r.status() + " " + abbreviate(r.body()));
            }
        }
        print(table, rows.size());
        assertTrue(uncovered.isEmpty(), "routes of template.yaml without a row: " + uncovered);
        assertTrue(unknown.isEmpty(), "rows for routes not in template.yaml: " + unknown);
        if (!mismatches.isEmpty()) {
            fail(mismatches.size() + " of " + rows.size() + " rows differ:\n  " + String.join("\n  ", mismatches));
        }
    }

    private static TestStack.Response send(Row row) {
        Route route = row.route();
        Target t = row.target().get();
        String body;
        Target target = t;
        if (route.key().equals("POST " + O + "/invitations")) {
            String email = row.expected().contains(201) ? person().email() : inviteeBystander.email();
            body = json(Map.of("email", email, "role", "USER"));
        } else if (route.key().equals("POST " + T + "/members") && row.note().equals("swap user in body")) {
            body = json(Map.of("userId", otherMember.userId(), "role", "MEMBER"));
        } else if (route.key().equals("POST " + T + "/members") && row.expected().contains(201)) {
            body = json(Map.of("userId", t.userId(), "role", "MEMBER"));
        } else {
            body = route.body().get();
        }
        Person caller = people.get(row.as());
        if (row.as() == Caller.INVITEE || (route.permitted().contains(Caller.INVITEE) && row.expected().contains(200))) {
            caller = person();
            target = target.withInvitation(invite(orgA, owner, caller));
        }
        String path = route.pathTemplate().replace("{orgId}", target.orgId()).replace("{teamId}", target.teamId())
                .replace("{userId}", target.userId()).replace("{holdId}", target.holdId()).replace("{invitationId}", target.invitationId())
                .replace("{assetId}", target.assetId())
                .replace("{entryId}", topUpA);
        if (path.contains("{webhookId}")) {
            boolean deletes = route.method().equals("DELETE") && row.expected().contains(204);
            path = path.replace("{webhookId}", deletes ? webhook() : webhookA).replace("{deliveryId}", deliveryA);
        }
        if (path.contains("{requestId}")) {
            path = path.replace("{requestId}", row.expected().contains(200) ? budgetRequest() : requestA);
        }
        if (row.as() == Caller.IAM) {
            return signed(route.method(), path, body);
        }
        Map<String, String> headers = new HashMap<>();
        if (caller != null) {
            headers.put("Authorization", "Bearer " + caller.token());
        }
        if (body != null) {
            headers.put("Content-Type", "application/json");
        }
        headers.put("Idempotency-Key", UUID.randomUUID().toString());
        return stack.send(route.method(), path, headers, body);
    }

    /** A request signed with SigV4 (service execute-api) by the local credentials, as the billing system sends it. */
    private static TestStack.Response signed(String method, String path, String body) {
        String text = body == null ? "" : body;
        SdkHttpFullRequest.Builder builder = SdkHttpFullRequest.builder().method(SdkHttpMethod.fromValue(method)).uri(URI.create(stack.apiUrl + path));
        if (body != null) {
            builder.putHeader("Content-Type", "application/json");
        }
        SdkHttpRequest signed = AwsV4HttpSigner.create().sign(r -> r.identity(AwsCredentialsIdentity.create("local", "local")).request(builder.build())
                .payload(ContentStreamProvider.fromByteArray(text.getBytes(StandardCharsets.UTF_8)))
                .putProperty(AwsV4HttpSigner.REGION_NAME, stack.region)
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "execute-api")).request();
        Map<String, String> headers = new HashMap<>();
        signed.headers().forEach((name, values) -> {
            if (!name.equalsIgnoreCase("host")) {
                headers.put(name, String.join(",", values));
            }
        });
        headers.put("Idempotency-Key", UUID.randomUUID().toString());
        return stack.send(method, path, headers, body);
    }

    private static void print(Map<String, Map<String, String>> table, int rows) {
        List<String> callers = new ArrayList<>();
        for (Caller c : Caller.values()) {
            callers.add(c.name());
        }
        StringBuilder out = new StringBuilder("\nAuthorization matrix (cell: status, or got!expected):\n");
        out.append(String.format("%-62s", "route"));
        for (String c : callers) {
            out.append(String.format(" %-16s", c));
        }
        out.append(" id-swaps\n");
        int cells = 0;
        for (var e : table.entrySet()) {
            out.append(String.format("%-62s", e.getKey()));
            for (String c : callers) {
                String v = e.getValue().getOrDefault(c, "-");
                cells += v.equals("-") ? 0 : 1;
                out.append(String.format(" %-16s", v));
            }
            List<String> swaps = e.getValue().entrySet().stream().filter(x -> !callers.contains(x.getKey()))
                    .map(x -> x.getKey() + "=" + x.getValue()).toList();
            out.append(" ").append(String.join("; ", swaps)).append('\n');
        }
        out.append(table.size()).append(" routes x ").append(callers.size()).append(" caller kinds: ").append(cells)
                .append(" route x caller cells covered, ").append(rows).append(" rows\n");
        System.out.println(out);
    }

    // ----------------------------------------------------------------------------- fixture steps

    static Person person() {
        TestStack.User u = stack.newUser();
        JsonNode me = expect(200, stack.get("/v1/me", u.idToken()));
        return new Person(me.path("userId").asText(), u.email(), u.idToken());
    }

    static String createOrg(Person owner) {
        return expect(201, stack.post("/v1/organizations", owner.token(), Map.of("name", "Matrix " + suffix()))).path("orgId").asText();
    }

    static String team(String orgId, Person admin) {
        return expect(201, stack.post("/v1/organizations/" + orgId + "/teams", admin.token(),
                Map.of("name", "Team " + suffix(), "budget", Map.of("mode", "SHARED_POOL")))).path("teamId").asText();
    }

    /** A PENDING budget request of limitedA1, made by its team ADMIN. */
    static String budgetRequest() {
        return expect(201, stack.post("/v1/organizations/" + orgA + "/teams/" + limitedA1 + "/budget-requests", teamAdmin.token(),
                Map.of("amount", 1, "reason", "matrix"))).path("requestId").asText();
    }

    static String invite(String orgId, Person admin, Person invitee) {
        return expect(201, stack.post("/v1/organizations/" + orgId + "/invitations", admin.token(),
                Map.of("email", invitee.email(), "role", "USER"))).path("invitationId").asText();
    }

    static Person member(String orgId, Person admin, String role) {
        Person p = person();
        String invitationId = expect(201, stack.post("/v1/organizations/" + orgId + "/invitations", admin.token(),
                Map.of("email", p.email(), "role", role))).path("invitationId").asText();
        expect(200, stack.post("/v1/invitations/" + invitationId + "/accept", p.token(), null));
        return p;
    }

    static void seat(String orgId, String teamId, Person admin, Person who, String role) {
        expect(201, stack.post("/v1/organizations/" + orgId + "/teams/" + teamId + "/members", admin.token(),
                Map.of("userId", who.userId(), "role", role)));
    }

    static void topUp(String orgId, Person admin, long amount) {
        expect(201, withKey("POST", "/v1/organizations/" + orgId + "/credits/top-ups", admin,
                json(Map.of("amount", amount, "source", "CONTRACT", "reference", "PO-" + suffix()))));
    }

    static String hold(String orgId, String teamId, Person who) {
        return expect(201, withKey("POST", "/v1/organizations/" + orgId + "/teams/" + teamId + "/holds", who,
                json(Map.of("amount", 5, "expiresInSeconds", 3600)))).path("holdId").asText();
    }

    static TestStack.Response withKey(String method, String path, Person who, String body) {
        return stack.send(method, path, Map.of("Authorization", "Bearer " + who.token(), "Content-Type", "application/json",
                "Idempotency-Key", UUID.randomUUID().toString()), body);
    }

    static JsonNode expect(int status, TestStack.Response r) {
        assertEquals(status, r.status(), r.body());
        return r.json();
    }

    static String json(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String suffix() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    static String abbreviate(String s) {
        return s == null ? "" : s.length() > 160 ? s.substring(0, 160) + "…" : s;
    }
}
