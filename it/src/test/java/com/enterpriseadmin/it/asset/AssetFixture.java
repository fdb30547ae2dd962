package com.enterpriseadmin.it.asset;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.enterpriseadmin.it.TestStack;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** People, an organization and teams built through the public API, and the two S3 requests a browser makes (POST form, GET). */
public final class AssetFixture {
    static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, 'I', 'H', 'D', 'R', 1, 2, 3, 4};
    static final byte[] PDF = "%PDF-1.7\n%fake but a PDF by its first bytes\n".getBytes(StandardCharsets.US_ASCII);

    final TestStack stack = TestStack.get();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    record Person(String userId, String email, String token) {}

    record Org(String orgId, Person owner) {
        String path() { return "/v1/organizations/" + orgId; }
    }

    Person person() {
        TestStack.User user = stack.newUser();
        JsonNode me = ok(stack.get("/v1/me", user.idToken()), 200);
        return new Person(me.path("userId").asText(), user.email(), user.idToken());
    }

    Org org() {
        Person owner = person();
        JsonNode org = ok(stack.post("/v1/organizations", owner.token(), Map.of("name", "Assets " + suffix())), 201);
        return new Org(org.path("orgId").asText(), owner);
    }

    String team(Org org) {
        return ok(stack.post(org.path() + "/teams", org.owner().token(),
                Map.of("name", "Team " + suffix(), "budget", Map.of("mode", "SHARED_POOL"))), 201).path("teamId").asText();
    }

    /** A new member of the organization (role USER) seated in {@code teamId} with {@code teamRole}. */
    Person member(Org org, String teamId, String teamRole) {
        Person person = person();
        JsonNode invitation = ok(stack.post(org.path() + "/invitations", org.owner().token(),
                Map.of("email", person.email(), "role", "USER", "teams", List.of(Map.of("teamId", teamId, "role", teamRole)))), 201);
        ok(stack.post("/v1/invitations/" + invitation.path("invitationId").asText() + "/accept", person.token(), null), 200);
        return person;
    }

    TestStack.Response start(Org org, String token, String name, String contentType, long size, String visibility, List<String> teams) {
        Map<String, Object> body = new java.util.HashMap<>(Map.of("name", name, "contentType", contentType, "size", size, "visibility", visibility));
        if (!teams.isEmpty()) {
            body.put("teamIds", teams);
        }
        return stack.post(org.path() + "/assets", token, body);
    }

    /** Posts the upload form the API handed out, the file last, as a browser's form would; returns S3's status. */
    int upload(JsonNode upload, byte[] file, String contentType) throws Exception {
        String boundary = "----asset" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (Iterator<Map.Entry<String, JsonNode>> it = upload.path("fields").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + f.getKey() + "\"\r\n\r\n"
                    + f.getValue().asText() + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"upload\"\r\nContent-Type: "
                + contentType + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.write(file);
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(URI.create(upload.path("url").asText())).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build();
        return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    HttpResponse<byte[]> download(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /**
     * Whether the bucket has a current object at the upload's key: a HeadObject through the S3 API at the endpoint
     * the upload URL names (path-style: {@code <endpoint>/<bucket>}), with the local stack's key.
     */
    boolean objectExists(JsonNode upload) {
        URI url = URI.create(upload.path("url").asText());
        String bucket = url.getPath().replaceAll("^/+|/+$", "");
        try (S3Client s3 = S3Client.builder().endpointOverride(URI.create(url.getScheme() + "://" + url.getAuthority()))
                .region(Region.of(stack.region)).forcePathStyle(true).httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"))).build()) {
            s3.headObject(b -> b.bucket(bucket).key(upload.path("fields").path("key").asText()));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw e;
        }
    }

    /** A READY PNG asset of the organization, shared with {@code teamId} (TEAMS), uploaded by the {@code token}'s holder. */
    public static String readyAsset(String orgId, String token, String teamId) {
        AssetFixture f = new AssetFixture();
        String org = "/v1/organizations/" + orgId;
        JsonNode started = ok(f.stack.post(org + "/assets", token, Map.of("name", "Asset " + suffix(), "contentType", "image/png",
                "size", PNG.length, "visibility", "TEAMS", "teamIds", List.of(teamId))), 201);
        try {
            assertEquals(204, f.upload(started.path("upload"), PNG, "image/png"));
        } catch (Exception e) {
            throw new IllegalStateException("upload: " + e, e);
        }
        String assetId = started.path("asset").path("assetId").asText();
        ok(f.stack.post(org + "/assets/" + assetId + "/complete", token, null), 200);
        return assetId;
    }

    JsonNode storage(Org org) {
        return ok(stack.get(org.path() + "/storage", org.owner().token()), 200);
    }

    static String suffix() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    static JsonNode ok(TestStack.Response response, int status) {
        assertEquals(status, response.status(), response.body());
        return response.json();
    }

    static void problem(TestStack.Response response, int status, String code) {
        assertEquals(status, response.status(), response.body());
        assertEquals(code, response.json().path("code").asText(), response.body());
    }
}
