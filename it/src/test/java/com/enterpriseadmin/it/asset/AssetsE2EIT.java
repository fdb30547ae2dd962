package com.enterpriseadmin.it.asset;

import static com.enterpriseadmin.it.asset.AssetFixture.PDF;
import static com.enterpriseadmin.it.asset.AssetFixture.PNG;
import static com.enterpriseadmin.it.asset.AssetFixture.ok;
import static com.enterpriseadmin.it.asset.AssetFixture.problem;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.enterpriseadmin.it.TestStack;
import com.enterpriseadmin.it.asset.AssetFixture.Org;
import com.enterpriseadmin.it.asset.AssetFixture.Person;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/**
 * The reference-asset library through the local stack: presigned POST to S3 (moto), completion, permissions, the
 * quota under concurrency, the scheduled sweep, the bucket event, delete and restore.
 */
class AssetsE2EIT {
    private final AssetFixture f = new AssetFixture();
    private final TestStack stack = f.stack;

    @Test
    void anUploadCompletedIsReadyDownloadableByItsTeamAnd404ForAnotherTeam() throws Exception {
        Org org = f.org();
        String design = f.team(org);
        String sales = f.team(org);
        Person designer = f.member(org, design, "MEMBER");
        Person seller = f.member(org, sales, "MEMBER");
        Person outsider = f.person();

        JsonNode started = ok(f.start(org, org.owner().token(), "Logo", "image/png", PNG.length, "TEAMS", List.of(design)), 201);
        String assetId = started.path("asset").path("assetId").asText();
        assertEquals("UPLOADING", started.path("asset").path("status").asText());
        JsonNode upload = started.path("upload");
        assertEquals("POST", upload.path("method").asText());
        assertTrue(upload.path("fields").path("key").asText().startsWith("orgs/" + org.orgId() + "/assets/"), upload.toString());
        assertEquals(204, f.upload(upload, PNG, "image/png"));

        // Before completion nobody but its managers sees it.
        problem(stack.get(org.path() + "/assets/" + assetId, designer.token()), 404, "asset-not-found");

        JsonNode ready = ok(stack.post(org.path() + "/assets/" + assetId + "/complete", org.owner().token(), null), 200);
        assertEquals("READY", ready.path("status").asText());
        assertEquals(PNG.length, ready.path("size").asLong());
        // Completing again answers the same (exactly once: the quota is settled once).
        assertEquals("READY", ok(stack.post(org.path() + "/assets/" + assetId + "/complete", org.owner().token(), null), 200).path("status").asText());
        JsonNode storage = f.storage(org);
        assertEquals(PNG.length, storage.path("usedBytes").asLong());
        assertEquals(0, storage.path("reservedBytes").asLong());

        JsonNode seen = ok(stack.get(org.path() + "/assets/" + assetId, designer.token()), 200);
        HttpResponse<byte[]> file = f.download(seen.path("downloadUrl").asText());
        assertEquals(200, file.statusCode());
        assertArrayEquals(PNG, file.body());
        assertTrue(ids(ok(stack.get(org.path() + "/assets", designer.token()), 200)).contains(assetId));
        assertTrue(ids(ok(stack.get(org.path() + "/assets?teamId=" + design + "&q=LOG", designer.token()), 200)).contains(assetId));

        problem(stack.get(org.path() + "/assets/" + assetId, seller.token()), 404, "asset-not-found");
        assertFalse(ids(ok(stack.get(org.path() + "/assets", seller.token()), 200)).contains(assetId));
        problem(stack.get(org.path() + "/assets/" + assetId, outsider.token()), 404, "organization-not-found");
        // A plain member may not manage it, nor upload.
        problem(stack.send("DELETE", org.path() + "/assets/" + assetId, designer.token(), null), 403, "forbidden");
        problem(f.start(org, designer.token(), "Mine", "image/png", 10, "TEAMS", List.of(design)), 403, "forbidden");
    }

    @Test
    void aTeamAdminSharesOnlyWithTheTeamsTheyAdminister() throws Exception {
        Org org = f.org();
        String design = f.team(org);
        String sales = f.team(org);
        Person lead = f.member(org, design, "ADMIN");
        problem(f.start(org, lead.token(), "All", "image/png", PNG.length, "ORGANIZATION", List.of()), 403, "forbidden");
        problem(f.start(org, lead.token(), "Both", "image/png", PNG.length, "TEAMS", List.of(design, sales)), 403, "forbidden");
        JsonNode started = ok(f.start(org, lead.token(), "Ours", "image/png", PNG.length, "TEAMS", List.of(design)), 201);
        String assetId = started.path("asset").path("assetId").asText();
        assertEquals(204, f.upload(started.path("upload"), PNG, "image/png"));
        ok(stack.post(org.path() + "/assets/" + assetId + "/complete", lead.token(), null), 200);
        problem(stack.send("PATCH", org.path() + "/assets/" + assetId, lead.token(), java.util.Map.of("visibility", "ORGANIZATION")), 403, "forbidden");
        JsonNode renamed = ok(stack.send("PATCH", org.path() + "/assets/" + assetId, lead.token(), java.util.Map.of("name", "Ours v2")), 200);
        assertEquals("Ours v2", renamed.path("name").asText());
    }

    @Test
    void bytesThatAreNotTheDeclaredTypeAreRejectedAndTheFileIsGone() throws Exception {
        Org org = f.org();
        JsonNode started = ok(f.start(org, org.owner().token(), "Not a PNG", "image/png", PDF.length, "ORGANIZATION", List.of()), 201);
        JsonNode upload = started.path("upload");
        assertEquals(204, f.upload(upload, PDF, "image/png"));
        assertTrue(f.objectExists(upload));
        JsonNode rejected = ok(stack.post(org.path() + "/assets/" + started.path("asset").path("assetId").asText() + "/complete",
                org.owner().token(), null), 200);
        assertEquals("REJECTED", rejected.path("status").asText());
        assertTrue(rejected.path("rejection").asText().startsWith("content"), rejected.toString());
        assertFalse(f.objectExists(upload));
        JsonNode storage = f.storage(org);
        assertEquals(0, storage.path("usedBytes").asLong());
        assertEquals(0, storage.path("reservedBytes").asLong());
    }

    /**
     * On AWS the POST policy's {@code content-length-range} refuses a larger file at the upload; moto does not enforce
     * it (it stores the file: 204), so completion checks the stored size too and rejects it.
     */
    @Test
    void anOversizeUploadIsRefusedByThePolicyOnAwsAndAtCompletionHere() throws Exception {
        Org org = f.org();
        problem(f.start(org, org.owner().token(), "Huge", "image/png", 1L << 40, "ORGANIZATION", List.of()), 400, "asset-too-large");

        JsonNode started = ok(f.start(org, org.owner().token(), "Small", "image/png", 12, "ORGANIZATION", List.of()), 201);
        JsonNode upload = started.path("upload");
        String policy = new String(Base64.getDecoder().decode(upload.path("fields").path("policy").asText()), StandardCharsets.UTF_8);
        assertTrue(policy.contains("[\"content-length-range\",1,12]"), policy);
        assertTrue(policy.contains("{\"Content-Type\":\"image/png\"}"), policy);
        assertEquals(204, f.upload(upload, PNG, "image/png"), "moto accepts a file beyond content-length-range");
        JsonNode rejected = ok(stack.post(org.path() + "/assets/" + started.path("asset").path("assetId").asText() + "/complete",
                org.owner().token(), null), 200);
        assertEquals("REJECTED", rejected.path("status").asText());
        assertTrue(rejected.path("rejection").asText().startsWith("size"), rejected.toString());
        assertFalse(f.objectExists(upload));
        assertEquals(0, f.storage(org).path("reservedBytes").asLong());
    }

    @Test
    void concurrentUploadsNeverExceedTheQuota() throws Exception {
        Org org = f.org();
        long quota = f.storage(org).path("quotaBytes").asLong();
        long each = quota / 10; // ten fit, at most
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<TestStack.Response>> racers = new ArrayList<>();
            for (int i = 0; i < 14; i++) {
                racers.add(() -> f.start(org, org.owner().token(), "Big", "video/mp4", each, "ORGANIZATION", List.of()));
            }
            int created = 0;
            for (Future<TestStack.Response> r : pool.invokeAll(racers)) {
                TestStack.Response response = r.get();
                if (response.status() == 201) {
                    created++;
                } else {
                    problem(response, 409, "storage-quota-exceeded");
                }
            }
            assertEquals(10, created);
        } finally {
            pool.shutdownNow();
        }
        JsonNode storage = f.storage(org);
        assertEquals(10 * each, storage.path("reservedBytes").asLong());
        assertTrue(storage.path("reservedBytes").asLong() <= quota);
        assertEquals(quota - 10 * each, storage.path("availableBytes").asLong());
    }

    @Test
    void theScheduledSweepReleasesAnAbandonedUploadAndCompletesOneWhoseEventWasLost() throws Exception {
        Org org = f.org();
        JsonNode abandoned = ok(f.start(org, org.owner().token(), "Never sent", "application/pdf", 1000, "ORGANIZATION", List.of()), 201);
        JsonNode posted = ok(f.start(org, org.owner().token(), "Sent", "application/pdf", PDF.length, "ORGANIZATION", List.of()), 201);
        assertEquals(204, f.upload(posted.path("upload"), PDF, "application/pdf"));
        assertEquals(1000 + PDF.length, f.storage(org).path("reservedBytes").asLong());

        // The schedule an hour and more later (the event's time is the sweep's "now").
        JsonNode swept = stack.invoke("AssetUploadsFunction", scheduledEvent(Instant.now().plus(2, ChronoUnit.HOURS)));
        assertTrue(swept.path("settled").asInt() >= 2, swept.toString());
        assertEquals("ABANDONED", status(org, abandoned));
        assertEquals("READY", status(org, posted));
        JsonNode storage = f.storage(org);
        assertEquals(0, storage.path("reservedBytes").asLong());
        assertEquals(PDF.length, storage.path("usedBytes").asLong());
    }

    @Test
    void theBucketEventAndTheRouteCompleteAnUploadExactlyOnce() throws Exception {
        Org org = f.org();
        JsonNode started = ok(f.start(org, org.owner().token(), "Raced", "image/png", PNG.length + 100, "ORGANIZATION", List.of()), 201);
        assertEquals(204, f.upload(started.path("upload"), PNG, "image/png"));
        String key = started.path("upload").path("fields").path("key").asText();
        String assetId = started.path("asset").path("assetId").asText();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<Object>> racers = List.of(
                    () -> stack.invoke("AssetUploadsFunction", s3Event(key)),
                    () -> stack.invoke("AssetUploadsFunction", s3Event(key)),
                    () -> stack.post(org.path() + "/assets/" + assetId + "/complete", org.owner().token(), null),
                    () -> stack.post(org.path() + "/assets/" + assetId + "/complete", org.owner().token(), null));
            for (Future<Object> r : pool.invokeAll(racers)) {
                Object out = r.get();
                if (out instanceof TestStack.Response response) {
                    assertEquals("READY", ok(response, 200).path("status").asText());
                }
            }
        } finally {
            pool.shutdownNow();
        }
        JsonNode storage = f.storage(org);
        assertEquals(PNG.length, storage.path("usedBytes").asLong(), "settled once: the real size, the reservation released");
        assertEquals(0, storage.path("reservedBytes").asLong());
        long readyEntries = StreamSupport.stream(ok(stack.get(org.path() + "/audit-log", org.owner().token()), 200).path("items").spliterator(), false)
                .filter(e -> e.path("action").asText().equals("asset.ready")).count();
        assertEquals(1, readyEntries);
    }

    @Test
    void deleteHidesAtOnceAndOwnerOrAdminRestores() throws Exception {
        Org org = f.org();
        String design = f.team(org);
        Person designer = f.member(org, design, "MEMBER");
        Person lead = f.member(org, design, "ADMIN");
        JsonNode started = ok(f.start(org, org.owner().token(), "Brochure", "application/pdf", PDF.length, "TEAMS", List.of(design)), 201);
        String assetId = started.path("asset").path("assetId").asText();
        String path = org.path() + "/assets/" + assetId;
        assertEquals(204, f.upload(started.path("upload"), PDF, "application/pdf"));
        ok(stack.post(path + "/complete", org.owner().token(), null), 200);

        assertEquals(204, stack.send("DELETE", path, lead.token(), null).status());
        problem(stack.get(path, designer.token()), 404, "asset-not-found");
        problem(stack.get(path, lead.token()), 404, "asset-not-found");
        assertFalse(ids(ok(stack.get(org.path() + "/assets", designer.token()), 200)).contains(assetId));
        assertFalse(f.objectExists(started.path("upload")), "the current version is a delete marker");
        assertEquals("DELETED", ok(stack.get(path, org.owner().token()), 200).path("status").asText());
        assertTrue(ids(ok(stack.get(org.path() + "/assets?deleted=true", org.owner().token()), 200)).contains(assetId));
        assertEquals(0, f.storage(org).path("usedBytes").asLong());

        problem(stack.post(path + "/restore", lead.token(), null), 404, "asset-not-found");
        JsonNode restored = ok(stack.post(path + "/restore", org.owner().token(), null), 200);
        assertEquals("READY", restored.path("status").asText());
        assertEquals(PDF.length, f.storage(org).path("usedBytes").asLong());
        JsonNode seen = ok(stack.get(path, designer.token()), 200);
        HttpResponse<byte[]> file = f.download(seen.path("downloadUrl").asText());
        assertEquals(200, file.statusCode());
        assertArrayEquals(PDF, file.body());
        assertEquals("READY", ok(stack.post(path + "/restore", org.owner().token(), null), 200).path("status").asText());
        problem(stack.post(org.path() + "/assets/" + "0".repeat(26) + "/restore", org.owner().token(), null), 404, "asset-not-found");
    }

    private String status(Org org, JsonNode started) {
        return ok(stack.get(org.path() + "/assets/" + started.path("asset").path("assetId").asText(), org.owner().token()), 200)
                .path("status").asText();
    }

    private static List<String> ids(JsonNode page) {
        return StreamSupport.stream(page.path("items").spliterator(), false).map(a -> a.path("assetId").asText()).toList();
    }

    private static String scheduledEvent(Instant time) {
        return "{\"version\":\"0\",\"id\":\"sweep\",\"detail-type\":\"Scheduled Event\",\"source\":\"aws.events\",\"time\":\""
                + time.truncatedTo(ChronoUnit.SECONDS) + "\",\"detail\":{}}";
    }

    private static String s3Event(String key) {
        return "{\"Records\":[{\"eventSource\":\"aws:s3\",\"eventName\":\"ObjectCreated:Post\",\"s3\":{\"bucket\":{\"name\":\"assets\"},"
                + "\"object\":{\"key\":\"" + key + "\"}}}]}";
    }
}
