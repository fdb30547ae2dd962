package com.enterpriseadmin.asset;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.DeleteMarkerEntry;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.ObjectVersion;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * The asset bucket through the AWS SDK: presigned GET by {@link S3Presigner}, the presigned POST by
 * {@link PostPolicy} with the function's own credentials, the object's size (HeadObject) and first bytes (a
 * ranged GetObject), and the versioned delete / restore / purge. The endpoint and addressing style are the
 * client's (the SDK reads {@code AWS_ENDPOINT_URL_S3}; path-style from configuration).
 */
public final class S3AssetObjects implements AssetObjects {
    private final S3Client s3;
    private final S3Presigner presigner;
    private final AwsCredentialsProvider credentials;
    private final String bucket;
    private final String region;

    public S3AssetObjects(S3Client s3, S3Presigner presigner, AwsCredentialsProvider credentials, String bucket, String region) {
        this.s3 = s3;
        this.presigner = presigner;
        this.credentials = credentials;
        this.bucket = bucket;
        this.region = region;
    }

    @Override
    public UploadForm uploadForm(String key, String contentType, long maxBytes, Instant now, Duration ttl) {
        AwsCredentials c = credentials.resolveCredentials();
        var token = c instanceof AwsSessionCredentials session ? java.util.Optional.of(session.sessionToken()) : java.util.Optional.<String>empty();
        Instant expiresAt = now.plus(ttl);
        var fields = PostPolicy.fields(new PostPolicy.Upload(bucket, key, contentType, 1, maxBytes, now, expiresAt),
                new PostPolicy.Signer(c.accessKeyId(), c.secretAccessKey(), token, region));
        // The bucket's URL as the client addresses it (path-style or virtual-hosted, the configured endpoint).
        String objectUrl = s3.utilities().getUrl(b -> b.bucket(bucket).key("k")).toString();
        String bucketUrl = objectUrl.substring(0, objectUrl.length() - "/k".length());
        return new UploadForm(URI.create(bucketUrl), fields, expiresAt);
    }

    @Override
    public URI downloadUrl(String key, String contentType, String fileName, Duration ttl) {
        String disposition = "attachment; filename*=UTF-8''" + java.net.URLEncoder.encode(fileName, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
        try {
            return presigner.presignGetObject(r -> r.signatureDuration(ttl)
                    .getObjectRequest(g -> g.bucket(bucket).key(key).responseContentType(contentType).responseContentDisposition(disposition)))
                    .url().toURI();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException("presigned URL is not a URI", e);
        }
    }

    @Override
    public OptionalLong size(String key) {
        try {
            return OptionalLong.of(s3.headObject(b -> b.bucket(bucket).key(key)).contentLength());
        } catch (NoSuchKeyException e) {
            return OptionalLong.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return OptionalLong.empty();
            }
            throw e;
        }
    }

    @Override
    public byte[] firstBytes(String key, int n) {
        ResponseBytes<GetObjectResponse> bytes = s3.getObjectAsBytes(b -> b.bucket(bucket).key(key).range("bytes=0-" + (n - 1)));
        byte[] all = bytes.asByteArray();
        // A server that ignores Range sends the whole object: keep the head only.
        return all.length <= n ? all : java.util.Arrays.copyOf(all, n);
    }

    @Override
    public void hide(String key) {
        s3.deleteObject(b -> b.bucket(bucket).key(key));
    }

    @Override
    public boolean unhide(String key) {
        ListObjectVersionsResponse versions = s3.listObjectVersions(b -> b.bucket(bucket).prefix(key));
        List<DeleteMarkerEntry> markers = versions.deleteMarkers().stream().filter(m -> key.equals(m.key())).toList();
        boolean hasData = versions.versions().stream().anyMatch(v -> key.equals(v.key()));
        if (!hasData) {
            return false;
        }
        // Every marker newer than the newest data version goes: the object is current again.
        Instant newestData = versions.versions().stream().filter(v -> key.equals(v.key())).map(ObjectVersion::lastModified)
                .max(Comparator.naturalOrder()).orElseThrow();
        for (DeleteMarkerEntry m : markers) {
            if (!m.lastModified().isBefore(newestData)) {
                s3.deleteObject(b -> b.bucket(bucket).key(key).versionId(m.versionId()));
            }
        }
        return true;
    }

    @Override
    public void purge(String key) {
        ListObjectVersionsResponse versions = s3.listObjectVersions(b -> b.bucket(bucket).prefix(key));
        List<ObjectIdentifier> ids = new ArrayList<>();
        versions.versions().stream().filter(v -> key.equals(v.key())).forEach(v -> ids.add(ObjectIdentifier.builder().key(key).versionId(v.versionId()).build()));
        versions.deleteMarkers().stream().filter(m -> key.equals(m.key())).forEach(m -> ids.add(ObjectIdentifier.builder().key(key).versionId(m.versionId()).build()));
        for (ObjectIdentifier id : ids) {
            s3.deleteObject(b -> b.bucket(bucket).key(id.key()).versionId(id.versionId()));
        }
        if (ids.isEmpty()) {
            s3.deleteObject(b -> b.bucket(bucket).key(key));
        }
    }
}
