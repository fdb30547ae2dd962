package com.enterpriseadmin.it.credit;

import static com.enterpriseadmin.it.credit.CreditFixture.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.enterpriseadmin.audit.AuditStore;
import com.enterpriseadmin.credit.CreditStore;
import com.enterpriseadmin.credit.TopUpAllowances;
import com.enterpriseadmin.http.Json;
import com.enterpriseadmin.it.TestStack;
import com.enterpriseadmin.it.credit.CreditFixture.Org;
import com.enterpriseadmin.it.credit.CreditFixture.Person;
import com.enterpriseadmin.store.Db;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * The credit security rules end to end: credits minted by billing over an IAM-authorized route (SigV4,
 * checked by the local runtime as API Gateway would), the self-service allowance, hold limits, actors,
 * what a refusal tells a member, and that a caller without permission cannot take a hold's key.
 */
class CreditSecurityE2EIT {
    private static final String BILLING = "/v1/billing/organizations/%s/credits";
    private final CreditFixture fx = new CreditFixture();
    private final TestStack stack = fx.stack;

    /** A request signed by the AWS SDK's SigV4 signer (service execute-api), sent as signed. */
    private TestStack.Response signed(String path, String body, String accessKey, String secret) {
        URI uri = URI.create(stack.apiUrl + path);
        SdkHttpFullRequest request = SdkHttpFullRequest.builder().method(SdkHttpMethod.POST).uri(uri)
                .putHeader("Content-Type", "application/json").build();
        SdkHttpRequest signed = AwsV4HttpSigner.create().sign(r -> r.identity(AwsCredentialsIdentity.create(accessKey, secret)).request(request)
                .payload(ContentStreamProvider.fromByteArray(body.getBytes(StandardCharsets.UTF_8)))
                .putProperty(AwsV4HttpSigner.REGION_NAME, stack.region)
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "execute-api")).request();
        Map<String, String> headers = new HashMap<>();
        signed.headers().forEach((name, values) -> {
            if (!name.equalsIgnoreCase("host")) { // the HTTP client sends the same Host itself
                headers.put(name, String.join(",", values));
            }
        });
        return stack.send("POST", path, headers, body);
    }

    private TestStack.Response bill(Org org, String body) {
        return signed(BILLING.formatted(org.orgId()), body, "local", "local");
    }

    @Test
    void billingCreditsOverSigV4OncePerReferenceAndRefusesAnythingElse() {
        Org org = fx.org();
        String body = "{\"amount\":250000,\"source\":\"PURCHASE\",\"reference\":\"INV-" + UUID.randomUUID() + "\"}";
        TestStack.Response first = bill(org, body);
        assertEquals(201, first.status(), first.body());
        assertEquals("TOP_UP", first.json().path("kind").asText());
        assertEquals("arn:aws:iam::123456789012:user/local", first.json().path("actor").asText(), "the IAM principal is the actor");
        assertFalse(first.headers().firstValue("idempotent-replayed").isPresent());

        TestStack.Response again = bill(org, body);
        assertEquals(201, again.status(), again.body());
        assertEquals(first.json(), again.json(), "the first credit, replayed");
        assertEquals("true", again.headers().firstValue("idempotent-replayed").orElse(""));
        TestStack.Response other = bill(org, body.replace("250000", "250001"));
        assertEquals(422, other.status(), other.body());
        assertEquals("reference-reused", other.json().path("code").asText());
        assertEquals(250000, fx.credits(org).path("purchased").asLong(), "credited exactly once");

        String path = BILLING.formatted(org.orgId());
        TestStack.Response unsigned = stack.send("POST", path, Map.of("Content-Type", "application/json"), body);
        assertEquals(403, unsigned.status());
        assertEquals("Missing Authentication Token", unsigned.json().path("message").asText());
        TestStack.Response wrongSecret = signed(path, body, "local", "not-the-secret");
        assertEquals(403, wrongSecret.status());
        assertEquals("Forbidden", wrongSecret.json().path("message").asText());
        TestStack.Response cognito = stack.send("POST", path, org.owner().token(), body);
        assertEquals(403, cognito.status(), "the owner's Cognito token is no billing identity");
        assertEquals("Forbidden", cognito.json().path("message").asText());
        TestStack.Response unknown = signed(BILLING.formatted("01nosuchorganization00000"), body, "local", "local");
        assertEquals(404, unknown.status(), unknown.body());
        assertEquals(250000, fx.credits(org).path("purchased").asLong());

        JsonNode audit = ok(stack.get("/v1/organizations/" + org.orgId() + "/audit-log", org.owner().token()), 200);
        assertTrue(audit.path("items").findValuesAsText("action").contains("credits.billed"), audit.toString());
    }

    @Test
    void selfServiceTopUpsStopAtTheAllowanceTheOperatorSet() {
        Org org = fx.org();
        assertEquals(201, fx.topUp(org, 5000).status(), "the local stack's default allowance is unlimited");
        Db db = new Db(stack.dynamo(), stack.tableName);
        TopUpAllowances allowances = new TopUpAllowances(new CreditStore(db, new AuditStore(db, new Json())), -1, Clock.systemUTC());
        TopUpAllowances.Status status = allowances.set(org.orgId(), Optional.of(8000L), "E2E");
        assertEquals(5000, status.used());
        assertEquals(3000, status.left());

        assertEquals(201, fx.topUp(org, 2000).status());
        TestStack.Response beyond = fx.topUp(org, 1500);
        assertEquals(409, beyond.status(), beyond.body());
        assertEquals("top-up-allowance-exceeded", beyond.json().path("code").asText());
        assertEquals(1000, beyond.json().path("allowanceLeft").asLong());
        assertTrue(beyond.json().path("detail").asText().contains("billing"), beyond.body());
        assertEquals(7000, fx.credits(org).path("purchased").asLong());
        // Billing is not limited by the allowance.
        assertEquals(201, bill(org, "{\"amount\":100000,\"source\":\"CONTRACT\",\"reference\":\"C-" + UUID.randomUUID() + "\"}").status());
    }

    @Test
    void holdsAreCappedInAmountDurationAndNumberPerMember() {
        Org org = fx.org();
        fx.topUp(org, 1_000_000);
        String teamId = fx.team(org, Map.of("mode", "SHARED_POOL"));
        Person member = fx.teamMembers(org, teamId, 1).get(0);
        TestStack.Response big = hold(org, teamId, member, 100_001, 60, UUID.randomUUID().toString());
        assertEquals(400, big.status(), big.body());
        assertEquals("hold-amount-too-large", big.json().path("code").asText());
        assertEquals("amount", big.json().path("field").asText());
        TestStack.Response longer = hold(org, teamId, member, 10, 86_401, UUID.randomUUID().toString());
        assertEquals(400, longer.status(), longer.body());
        assertEquals("hold-duration-too-long", longer.json().path("code").asText());

        String first = null;
        for (int i = 0; i < 10; i++) {
            TestStack.Response r = hold(org, teamId, member, 100, 600, UUID.randomUUID().toString());
            assertEquals(201, r.status(), r.body());
            first = first == null ? r.json().path("holdId").asText() : first;
        }
        TestStack.Response eleventh = hold(org, teamId, member, 100, 600, UUID.randomUUID().toString());
        assertEquals(409, eleventh.status(), eleventh.body());
        assertEquals("too-many-open-holds", eleventh.json().path("code").asText());
        assertEquals(200, close(org, teamId, first, member, "release", UUID.randomUUID().toString(), "{}").status());
        assertEquals(201, hold(org, teamId, member, 100, 600, UUID.randomUUID().toString()).status(), "a closed hold frees its place");
    }

    @Test
    void aTeamAdminCapturingAMembersHoldIsTheActorAndAuditedAndARefusedStrangerLeavesTheKeyFree() {
        Org org = fx.org();
        fx.topUp(org, 10_000);
        String teamId = fx.team(org, Map.of("mode", "SHARED_POOL"));
        Person member = fx.teamMembers(org, teamId, 1).get(0);
        Person teamAdmin = fx.member(org, "USER");
        fx.addToTeam(org, teamId, teamAdmin, "ADMIN");
        Person stranger = fx.member(org, "USER");

        String holdId = hold(org, teamId, member, 500, 600, UUID.randomUUID().toString()).json().path("holdId").asText();
        assertEquals(200, close(org, teamId, holdId, teamAdmin, "capture", UUID.randomUUID().toString(), "{\"amount\":300}").status());
        JsonNode ledger = ok(stack.get("/v1/organizations/" + org.orgId() + "/ledger?limit=10", org.owner().token()), 200);
        JsonNode captured = null;
        for (JsonNode e : ledger.path("items")) {
            if (e.path("kind").asText().equals("HOLD_CAPTURED")) {
                captured = e;
            }
        }
        assertTrue(captured != null, ledger.toString());
        assertEquals(member.userId(), captured.path("userId").asText());
        assertEquals(teamAdmin.userId(), captured.path("actor").asText());
        JsonNode audit = ok(stack.get("/v1/organizations/" + org.orgId() + "/audit-log", org.owner().token()), 200);
        assertTrue(audit.path("items").findValuesAsText("action").contains("hold.captured"), audit.toString());

        String second = hold(org, teamId, member, 100, 600, UUID.randomUUID().toString()).json().path("holdId").asText();
        String key = UUID.randomUUID().toString();
        TestStack.Response squat = close(org, teamId, second, stranger, "release", key, "{}");
        assertEquals(403, squat.status(), squat.body());
        TestStack.Response owner = close(org, teamId, second, member, "release", key, "{}");
        assertEquals(200, owner.status(), "the key was never claimed by the stranger: " + owner.body());
        assertEquals("RELEASED", owner.json().path("status").asText());
    }

    @Test
    void aMembersRefusalCarriesNoFiguresAnAdministratorsDoes() {
        Org org = fx.org();
        fx.topUp(org, 1000);
        String teamId = fx.team(org, Map.of("mode", "LIMITED", "limit", 50));
        Person member = fx.teamMembers(org, teamId, 1).get(0);
        fx.addToTeam(org, teamId, org.owner(), "MEMBER");

        TestStack.Response refused = fx.consume(org, teamId, member, 60, UUID.randomUUID().toString());
        assertEquals(409, refused.status(), refused.body());
        assertEquals("team-budget-exhausted", refused.json().path("code").asText());
        for (String figure : List.of("remaining", "limit", "periodConsumed", "held", "available")) {
            assertFalse(refused.json().has(figure), figure + " in " + refused.body());
        }
        TestStack.Response admin = fx.consume(org, teamId, org.owner(), 60, UUID.randomUUID().toString());
        assertEquals(409, admin.status(), admin.body());
        assertEquals(50, admin.json().path("remaining").asLong(), admin.body());

        String teamB = fx.team(org, Map.of("mode", "SHARED_POOL"));
        fx.addToTeam(org, teamB, member, "MEMBER");
        TestStack.Response org2 = fx.consume(org, teamB, member, 5000, UUID.randomUUID().toString());
        assertEquals("organization-credits-exhausted", org2.json().path("code").asText(), org2.body());
        assertFalse(org2.json().has("available"), org2.body());
    }

    private TestStack.Response hold(Org org, String teamId, Person who, long amount, long seconds, String key) {
        return fx.withKey("POST", "/v1/organizations/" + org.orgId() + "/teams/" + teamId + "/holds", who.token(), key,
                "{\"amount\":" + amount + ",\"expiresInSeconds\":" + seconds + "}");
    }

    private TestStack.Response close(Org org, String teamId, String holdId, Person who, String how, String key, String body) {
        return fx.withKey("POST", "/v1/organizations/" + org.orgId() + "/teams/" + teamId + "/holds/" + holdId + "/" + how, who.token(), key, body);
    }
}
