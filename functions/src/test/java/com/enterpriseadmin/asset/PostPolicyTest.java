package com.enterpriseadmin.asset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PostPolicyTest {
    /**
     * The worked example of the S3 API reference, "Example: Browser-Based Upload using HTTP POST (Using AWS Signature
     * Version 4)": its base64 policy, the example secret key, 2015-12-29, us-east-1, and the signature AWS computed.
     */
    static final String AWS_EXAMPLE_POLICY = "eyAiZXhwaXJhdGlvbiI6ICIyMDE1LTEyLTMwVDEyOjAwOjAwLjAwMFoiLA0KICAiY29uZGl0aW9ucyI6IFsNCiAgICB7ImJ1Y2tldCI6ICJzaWd2NGV4YW1wbGVidWNrZXQifSwNCiAgICBbInN0YXJ0cy13aXRoIiwgIiRrZXkiLCAidXNlci91c2VyMS8iXSwNCiAgICB7ImFjbCI6ICJwdWJsaWMtcmVhZCJ9LA0KICAgIHsic3VjY2Vzc19hY3Rpb25fcmVkaXJlY3QiOiAiaHR0cDovL3NpZ3Y0ZXhhbXBsZWJ1Y2tldC5zMy5hbWF6b25hd3MuY29tL3N1Y2Nlc3NmdWxfdXBsb2FkLmh0bWwifSwNCiAgICBbInN0YXJ0cy13aXRoIiwgIiRDb250ZW50LVR5cGUiLCAiaW1hZ2UvIl0sDQogICAgeyJ4LWFtei1tZXRhLXV1aWQiOiAiMTQzNjUxMjM2NTEyNzQifSwNCiAgICB7IngtYW16LXNlcnZlci1zaWRlLWVuY3J5cHRpb24iOiAiQUVTMjU2In0sDQogICAgWyJzdGFydHMtd2l0aCIsICIkeC1hbXotbWV0YS10YWciLCAiIl0sDQoNCiAgICB7IngtYW16LWNyZWRlbnRpYWwiOiAiQUtJQUlPU0ZPRE5ON0VYQU1QTEUvMjAxNTEyMjkvdXMtZWFzdC0xL3MzL2F3czRfcmVxdWVzdCJ9LA0KICAgIHsieC1hbXotYWxnb3JpdGhtIjogIkFXUzQtSE1BQy1TSEEyNTYifSwNCiAgICB7IngtYW16LWRhdGUiOiAiMjAxNTEyMjlUMDAwMDAwWiIgfQ0KICBdDQp9";
    static final String AWS_EXAMPLE_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

    @Test
    void signsTheAwsDocumentationExampleAsAwsDid() {
        assertEquals("8afdbf4008c03f22c2cd3cdb72e4afbb1f6a588f3255ac628749a66d7f09699e",
                PostPolicy.signature(AWS_EXAMPLE_POLICY, AWS_EXAMPLE_SECRET, "20151229", "us-east-1"));
    }

    @Test
    void aChangedPolicyOrKeyOrDayGivesAnotherSignature() {
        String good = PostPolicy.signature(AWS_EXAMPLE_POLICY, AWS_EXAMPLE_SECRET, "20151229", "us-east-1");
        assertTrue(!good.equals(PostPolicy.signature(AWS_EXAMPLE_POLICY + "=", AWS_EXAMPLE_SECRET, "20151229", "us-east-1")));
        assertTrue(!good.equals(PostPolicy.signature(AWS_EXAMPLE_POLICY, AWS_EXAMPLE_SECRET + "x", "20151229", "us-east-1")));
        assertTrue(!good.equals(PostPolicy.signature(AWS_EXAMPLE_POLICY, AWS_EXAMPLE_SECRET, "20151230", "us-east-1")));
        assertTrue(!good.equals(PostPolicy.signature(AWS_EXAMPLE_POLICY, AWS_EXAMPLE_SECRET, "20151229", "eu-west-1")));
    }

    @Test
    void theFormSignsAPolicyPinningKeyTypeSizeAndExpiry() {
        Instant now = Instant.parse("2015-12-29T00:00:00Z");
        Map<String, String> fields = PostPolicy.fields(
                new PostPolicy.Upload("bucket-1", "orgs/o/assets/a", "image/png", 1, 2048, now, now.plusSeconds(900)),
                new PostPolicy.Signer("AKIAIOSFODNN7EXAMPLE", AWS_EXAMPLE_SECRET, Optional.of("token\"1"), "us-east-1"));
        String policy = new String(Base64.getDecoder().decode(fields.get("policy")), StandardCharsets.UTF_8);
        assertEquals("{\"expiration\":\"2015-12-29T00:15:00.000Z\",\"conditions\":[{\"bucket\":\"bucket-1\"},{\"key\":\"orgs/o/assets/a\"},"
                + "{\"Content-Type\":\"image/png\"},[\"content-length-range\",1,2048],{\"x-amz-algorithm\":\"AWS4-HMAC-SHA256\"},"
                + "{\"x-amz-credential\":\"AKIAIOSFODNN7EXAMPLE/20151229/us-east-1/s3/aws4_request\"},{\"x-amz-date\":\"20151229T000000Z\"},"
                + "{\"x-amz-security-token\":\"token\\\"1\"}]}", policy);
        assertEquals("orgs/o/assets/a", fields.get("key"));
        assertEquals("image/png", fields.get("Content-Type"));
        assertEquals("token\"1", fields.get("x-amz-security-token"));
        assertEquals(PostPolicy.signature(fields.get("policy"), AWS_EXAMPLE_SECRET, "20151229", "us-east-1"), fields.get("x-amz-signature"));
    }
}
