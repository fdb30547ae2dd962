package com.enterpriseadmin.asset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.enterpriseadmin.audit.AuditStore;
import com.enterpriseadmin.auth.Caller;
import com.enterpriseadmin.auth.MemberStatus;
import com.enterpriseadmin.auth.OrgRole;
import com.enterpriseadmin.auth.Policy;
import com.enterpriseadmin.auth.Standing;
import com.enterpriseadmin.auth.TeamRole;
import com.enterpriseadmin.error.DomainException;
import com.enterpriseadmin.http.Json;
import com.enterpriseadmin.store.Keys;
import com.enterpriseadmin.support.Events;
import com.enterpriseadmin.support.FakeDynamo;
import com.enterpriseadmin.support.Invoke;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/** The asset use cases on a fake table and a fake bucket: transaction shapes, refusals, exactly-once settling. */
class AssetsTest {
    static final String ORG = "01hzxk3m5q7r9t1v3w5y7a9c1e";
    static final String TEAM = "01hzx9a1b2c3d4e5f6g7h8j9k0";
    static final String OTHER_TEAM = "01hzx9a1b2c3d4e5f6g7h8j9k1";
    static final Instant NOW = Instant.parse("2026-11-30T09:00:00Z");
    static final long QUOTA = 1000;
    static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0};

    final FakeDynamo dynamo = new FakeDynamo();
    final Map<String, Standing> members = new HashMap<>(Map.of(
            "owner", new Standing(ORG, "owner", OrgRole.OWNER, MemberStatus.ACTIVE, Map.of()),
            "lead", new Standing(ORG, "lead", OrgRole.USER, MemberStatus.ACTIVE, Map.of(TEAM, TeamRole.ADMIN, OTHER_TEAM, TeamRole.MEMBER)),
            "member", new Standing(ORG, "member", OrgRole.USER, MemberStatus.ACTIVE, Map.of(TEAM, TeamRole.MEMBER))));
    final FakeObjects objects = new FakeObjects();
    final AssetStore store = new AssetStore(dynamo.db, new AuditStore(dynamo.db, new Json()));
    final Assets assets = new Assets(new Policy((org, user) -> ORG.equals(org) ? Optional.ofNullable(members.get(user)) : Optional.empty()),
            store, objects, Clock.fixed(NOW, ZoneOffset.UTC),
            new Assets.Limits(Set.of("image/png", "application/pdf"), 100_000, QUOTA, Duration.ofMinutes(15), Duration.ofMinutes(5)));

    static Caller caller(String id) {
        return new Caller(id, Optional.of(id + "@example.com"), true, Optional.empty());
    }

    void activeTeams() {
        for (String t : List.of(TEAM, OTHER_TEAM)) {
            dynamo.put(Map.of("PK", AttributeValue.fromS(Keys.org(ORG)), "SK", AttributeValue.fromS("TEAM#" + t),
                    "teamId", AttributeValue.fromS(t), "status", AttributeValue.fromS("ACTIVE")));
        }
    }

    Asset uploading(long declared) {
        Asset a = new Asset("01hzxq0b1c2d3e4f5g6h7j8k9m", ORG, "Logo", "image/png", declared, 0, Asset.Status.UPLOADING, Asset.Visibility.TEAMS,
                List.of(TEAM), Asset.objectKey(ORG, "01hzxq0b1c2d3e4f5g6h7j8k9m"), "lead", NOW, NOW, Optional.empty(), Optional.empty(), 1);
        dynamo.put(AssetStore.toItem(a));
        return a;
    }

    @Test
    void startingAnUploadReservesTheDeclaredSizeUnderTheQuotaInOneTransaction() {
        activeTeams();
        AssetView.Started started = assets.start(caller("lead"), ORG,
                new AssetRequests.Create("Logo", "image/png", 200, Asset.Visibility.TEAMS, List.of(TEAM)));
        List<TransactWriteItem> tx = dynamo.transactions.get(0).transactItems();
        assertEquals(3, tx.size());
        assertEquals("attribute_not_exists(PK)", tx.get(0).put().conditionExpression());
        assertEquals("ASSET_UPLOADS", tx.get(0).put().item().get("GSI1PK").s());
        assertEquals("attribute_not_exists(allocatedBytes) OR allocatedBytes <= :max", tx.get(1).update().conditionExpression());
        assertEquals("800", tx.get(1).update().expressionAttributeValues().get(":max").n());
        assertEquals("asset.upload-started", tx.get(2).put().item().get("action").s());
        assertEquals(objects.lastForm, started.upload().fields());
        assertEquals(200, started.upload().maxBytes());
        assertTrue(started.asset().teamIds().contains(TEAM));
    }

    @Test
    void aFullQuotaIs409AndBadRequestsAre4xxBeforeAnyWrite() {
        activeTeams();
        dynamo.cancellations.add(List.of("None", "ConditionalCheckFailed", "None"));
        DomainException e = assertThrows(DomainException.class, () -> assets.start(caller("owner"), ORG,
                new AssetRequests.Create("Big", "image/png", 400, Asset.Visibility.ORGANIZATION, List.of())));
        assertEquals("storage-quota-exceeded", e.code());
        assertEquals(409, e.status());
        int before = dynamo.transactions.size();
        assertEquals("unsupported-content-type", assertThrows(DomainException.class, () -> assets.start(caller("owner"), ORG,
                new AssetRequests.Create("Svg", "image/svg+xml", 10, Asset.Visibility.ORGANIZATION, List.of()))).code());
        assertEquals("asset-too-large", assertThrows(DomainException.class, () -> assets.start(caller("owner"), ORG,
                new AssetRequests.Create("Big", "image/png", 100_001, Asset.Visibility.ORGANIZATION, List.of()))).code());
        assertEquals("forbidden", assertThrows(DomainException.class, () -> assets.start(caller("lead"), ORG,
                new AssetRequests.Create("Both", "image/png", 10, Asset.Visibility.TEAMS, List.of(TEAM, OTHER_TEAM)))).code());
        assertEquals("forbidden", assertThrows(DomainException.class, () -> assets.start(caller("member"), ORG,
                new AssetRequests.Create("Mine", "image/png", 10, Asset.Visibility.TEAMS, List.of(TEAM)))).code());
        assertEquals("organization-not-found", assertThrows(DomainException.class, () -> assets.start(caller("stranger"), ORG,
                new AssetRequests.Create("X", "image/png", 10, Asset.Visibility.ORGANIZATION, List.of()))).code());
        assertEquals("unknown-team", assertThrows(DomainException.class, () -> assets.start(caller("owner"), ORG,
                new AssetRequests.Create("X", "image/png", 10, Asset.Visibility.TEAMS, List.of("01hzx9a1b2c3d4e5f6g7h8j9k9")))).code());
        assertEquals(before, dynamo.transactions.size());
    }

    @Test
    void bytesOfAnotherTypeAreRejectedTheObjectPurgedAndTheReservationReleased() {
        Asset a = uploading(100);
        objects.files.put(a.objectKey(), "%PDF-1.4 not a png".getBytes());
        Asset settled = assets.complete(caller("lead"), ORG, a.assetId());
        assertTrue(objects.purged.contains(a.objectKey()));
        TransactWriteItem storage = dynamo.transactions.get(0).transactItems().get(1);
        assertEquals("SET reservedBytes = reservedBytes - :declared, usedBytes = usedBytes + :used, allocatedBytes = allocatedBytes + :delta",
                storage.update().updateExpression());
        assertEquals("0", storage.update().expressionAttributeValues().get(":used").n());
        assertEquals("-100", storage.update().expressionAttributeValues().get(":delta").n());
        assertEquals("REJECTED", dynamo.transactions.get(0).transactItems().get(0).update().expressionAttributeValues().get(":to").s());
        assertEquals(a.assetId(), settled.assetId());
    }

    @Test
    void aFileLargerThanDeclaredIsRejectedEvenOfTheRightType() {
        Asset a = uploading(4);
        objects.files.put(a.objectKey(), PNG);
        assets.complete(caller("owner"), ORG, a.assetId());
        var values = dynamo.transactions.get(0).transactItems().get(0).update().expressionAttributeValues();
        assertEquals("REJECTED", values.get(":to").s());
        assertTrue(values.get(":why").s().startsWith("size"));
    }

    @Test
    void theRightBytesSettleReadyWithTheStoredSizeAndALosingCompleterWritesNothingMore() {
        Asset a = uploading(100);
        objects.files.put(a.objectKey(), PNG);
        assets.complete(caller("lead"), ORG, a.assetId());
        var storage = dynamo.transactions.get(0).transactItems().get(1).update().expressionAttributeValues();
        assertEquals(String.valueOf(PNG.length), storage.get(":used").n());
        assertEquals(String.valueOf(PNG.length - 100), storage.get(":delta").n());
        assertFalse(objects.purged.contains(a.objectKey()));

        // A second completer (the bucket event) loses the status condition: it answers the asset, moves nothing.
        dynamo.cancellations.add(List.of("ConditionalCheckFailed", "None", "None"));
        assets.objectCreated(a.objectKey());
        assertEquals(2, dynamo.transactions.size());
    }

    @Test
    void completingBeforeTheFileIsThereIs409AndOthersSeeNothing() {
        Asset a = uploading(100);
        assertEquals("upload-missing", assertThrows(DomainException.class, () -> assets.complete(caller("lead"), ORG, a.assetId())).code());
        assertEquals("asset-not-found", assertThrows(DomainException.class, () -> assets.complete(caller("member"), ORG, a.assetId())).code());
        assertEquals("asset-not-found", assertThrows(DomainException.class, () -> assets.get(caller("member"), ORG, "not-an-id")).code());
        assertEquals(0, dynamo.transactions.size());
    }

    @Test
    void theHandlerServesItsSampleEvent() {
        activeTeams();
        members.put("3f1c2b7e-6a8d-4f3e-9d2a-0c1b2a3d4e5f",
                new Standing(ORG, "3f1c2b7e-6a8d-4f3e-9d2a-0c1b2a3d4e5f", OrgRole.ADMIN, MemberStatus.ACTIVE, Map.of()));
        Invoke.Result r = Invoke.run(new AssetsHandler(new Json(), assets), Invoke.event("Assets-start-upload.json"));
        assertEquals(201, r.status(), r.json().toString());
        assertEquals("UPLOADING", r.json().path("asset").path("status").asText());
        assertEquals("POST", r.json().path("upload").path("method").asText());
    }

    @Test
    void theUploadsFunctionTakesTheBucketEventAndItsSchedule() throws Exception {
        Asset a = uploading(100);
        objects.files.put(a.objectKey(), PNG);
        List<Instant> sweeps = new ArrayList<>();
        AssetUploadsHandler handler = new AssetUploadsHandler(new Json().mapper(), () -> assets, Clock.fixed(NOW, ZoneOffset.UTC));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String event = new String(Events.load("AssetUploads-object-created.json")).replace("01hzxq0b1c2d3e4f5g6h7j8k9m", a.assetId());
        handler.handleRequest(new ByteArrayInputStream(event.getBytes()), out, null);
        assertEquals("{\"records\":1}", out.toString());
        assertEquals("READY", dynamo.transactions.get(0).transactItems().get(0).update().expressionAttributeValues().get(":to").s());

        dynamo.queryAnswers = q -> {
            sweeps.add(Instant.parse(q.expressionAttributeValues().get(":cutoff").s()));
            return List.of();
        };
        out.reset();
        handler.handleRequest(new ByteArrayInputStream(Events.load("AssetUploads-abandoned-uploads-schedule.json")), out, null);
        assertEquals("{\"settled\":0}", out.toString());
        assertEquals(List.of(Instant.parse("2026-11-28T01:00:00Z")), sweeps, "an hour before the event's time");
    }

    /** The bucket: files by key, what was purged, the last form handed out. */
    static final class FakeObjects implements AssetObjects {
        final Map<String, byte[]> files = new HashMap<>();
        final List<String> purged = new ArrayList<>();
        Map<String, String> lastForm;

        @Override
        public UploadForm uploadForm(String key, String contentType, long maxBytes, Instant now, Duration ttl) {
            lastForm = Map.of("key", key, "Content-Type", contentType);
            return new UploadForm(URI.create("https://bucket.example/"), lastForm, now.plus(ttl));
        }

        @Override
        public URI downloadUrl(String key, String contentType, String fileName, Duration ttl) {
            return URI.create("https://bucket.example/" + key);
        }

        @Override
        public OptionalLong size(String key) {
            byte[] f = files.get(key);
            return f == null ? OptionalLong.empty() : OptionalLong.of(f.length);
        }

        @Override
        public byte[] firstBytes(String key, int n) {
            byte[] f = files.get(key);
            return java.util.Arrays.copyOf(f, Math.min(n, f.length));
        }

        @Override
        public void hide(String key) {}

        @Override
        public boolean unhide(String key) {
            return true;
        }

        @Override
        public void purge(String key) {
            purged.add(key);
            files.remove(key);
        }
    }
}
