package com.enterpriseadmin.asset;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A presigned S3 POST (browser-based upload, AWS Signature Version 4), which the AWS SDK for Java v2 does not
 * build: the POST policy (expiry; conditions on bucket, exact key, exact {@code Content-Type},
 * {@code content-length-range}, the signing fields) as base64 JSON, and its signature,
 * {@code hex(HMAC-SHA256(signingKey, base64Policy))} with the SigV4 signing key of the date, region and
 * {@code s3}. The form fields returned are posted with the file (the file last).
 */
public final class PostPolicy {
    public static final String ALGORITHM = "AWS4-HMAC-SHA256";
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter EXPIRATION = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    /** The credentials that sign (a Lambda function's are temporary: the session token joins the policy and the form). */
    public record Signer(String accessKeyId, String secretAccessKey, Optional<String> sessionToken, String region) {}

    /** What is signed: one object key, its exact content type, the size range and the expiry. */
    public record Upload(String bucket, String key, String contentType, long minBytes, long maxBytes, Instant now, Instant expiresAt) {}

    private PostPolicy() {}

    /** The form fields of the upload, {@code policy} and {@code x-amz-signature} included, in posting order. */
    public static Map<String, String> fields(Upload upload, Signer signer) {
        String credential = signer.accessKeyId() + "/" + DATE.format(upload.now()) + "/" + signer.region() + "/s3/aws4_request";
        String amzDate = DATE_TIME.format(upload.now());
        StringBuilder conditions = new StringBuilder()
                .append("{\"bucket\":").append(quote(upload.bucket())).append("},")
                .append("{\"key\":").append(quote(upload.key())).append("},")
                .append("{\"Content-Type\":").append(quote(upload.contentType())).append("},")
                .append("[\"content-length-range\",").append(upload.minBytes()).append(',').append(upload.maxBytes()).append("],")
                .append("{\"x-amz-algorithm\":").append(quote(ALGORITHM)).append("},")
                .append("{\"x-amz-credential\":").append(quote(credential)).append("},")
                .append("{\"x-amz-date\":").append(quote(amzDate)).append('}');
        signer.sessionToken().ifPresent(t -> conditions.append(",{\"x-amz-security-token\":").append(quote(t)).append('}'));
        String policyJson = "{\"expiration\":" + quote(EXPIRATION.format(upload.expiresAt())) + ",\"conditions\":[" + conditions + "]}";
        String policy = Base64.getEncoder().encodeToString(policyJson.getBytes(StandardCharsets.UTF_8));

        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("key", upload.key());
        fields.put("Content-Type", upload.contentType());
        fields.put("x-amz-algorithm", ALGORITHM);
        fields.put("x-amz-credential", credential);
        fields.put("x-amz-date", amzDate);
        signer.sessionToken().ifPresent(t -> fields.put("x-amz-security-token", t));
        fields.put("policy", policy);
        fields.put("x-amz-signature", signature(policy, signer.secretAccessKey(), DATE.format(upload.now()), signer.region()));
        return fields;
    }

    /** The SigV4 signature of a base64 policy: the documented algorithm (the AWS example is in the unit test). */
    public static String signature(String base64Policy, String secretAccessKey, String yyyyMMdd, String region) {
        byte[] key = hmac(("AWS4" + secretAccessKey).getBytes(StandardCharsets.UTF_8), yyyyMMdd);
        key = hmac(key, region);
        key = hmac(key, "s3");
        key = hmac(key, "aws4_request");
        return HexFormat.of().formatHex(hmac(key, base64Policy));
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }

    /** A JSON string literal (keys and types are ours, but escape anyway). */
    static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                default -> {
                    if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
                    else sb.append(c);
                }
            }
        }
        return sb.append('"').toString();
    }
}
