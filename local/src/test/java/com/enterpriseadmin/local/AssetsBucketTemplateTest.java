package com.enterpriseadmin.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The reference-asset bucket as the template declares it (moto applies none of it: docs/assets.md, "Locally"):
 * private, encrypted, versioned, the 30-day lifecycle rule, CORS for the console's origin only, TLS only; and the
 * completion function wired to its ObjectCreated event and its schedule.
 */
class AssetsBucketTemplateTest {

  @SuppressWarnings("unchecked")
  private static Map<String, Object> resources() throws Exception {
    try (Reader reader = Files.newBufferedReader(Path.of("..", "template.yaml"), StandardCharsets.UTF_8)) {
      Map<String, Object> root = (Map<String, Object>) new Yaml(new Template.CloudFormationConstructor()).load(reader);
      return (Map<String, Object>) root.get("Resources");
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value) {
    return (Map<String, Object>) value;
  }

  private static List<?> list(Object value) {
    return (List<?>) value;
  }

  @Test
  void theBucketIsPrivateEncryptedVersionedAndForgetsDeletedFilesAfter30Days() throws Exception {
    Map<String, Object> props = map(map(resources().get("AssetsBucket")).get("Properties"));
    assertEquals(Map.of("BlockPublicAcls", true, "BlockPublicPolicy", true, "IgnorePublicAcls", true, "RestrictPublicBuckets", true),
        props.get("PublicAccessBlockConfiguration"));
    Map<String, Object> sse = map(map(list(map(props.get("BucketEncryption")).get("ServerSideEncryptionConfiguration")).get(0))
        .get("ServerSideEncryptionByDefault"));
    assertEquals("AES256", sse.get("SSEAlgorithm"));
    assertEquals("Enabled", map(props.get("VersioningConfiguration")).get("Status"));

    List<?> rules = list(map(props.get("LifecycleConfiguration")).get("Rules"));
    Map<String, Object> deleted = rules.stream().map(AssetsBucketTemplateTest::map)
        .filter(r -> "RemoveDeletedAssetsAfter30Days".equals(r.get("Id"))).findFirst().orElseThrow();
    assertEquals("Enabled", deleted.get("Status"));
    assertEquals(30, map(deleted.get("NoncurrentVersionExpiration")).get("NoncurrentDays"));
    assertEquals(true, deleted.get("ExpiredObjectDeleteMarker"));
    assertTrue(rules.stream().map(AssetsBucketTemplateTest::map).anyMatch(r -> r.containsKey("AbortIncompleteMultipartUpload")));

    Map<String, Object> cors = map(list(map(props.get("CorsConfiguration")).get("CorsRules")).get(0));
    List<?> origins = list(cors.get("AllowedOrigins"));
    assertEquals(1, origins.size());
    assertTrue(String.valueOf(((Template.Intrinsic) origins.get(0)).value()).contains("ConsoleDistribution.DomainName"), origins.toString());
    assertEquals(Set.of("POST", "GET", "HEAD"), Set.copyOf(list(cors.get("AllowedMethods"))));
  }

  @Test
  void theBucketPolicyDeniesEverythingButTls() throws Exception {
    Map<String, Object> props = map(map(resources().get("AssetsBucketPolicy")).get("Properties"));
    Map<String, Object> statement = map(list(map(props.get("PolicyDocument")).get("Statement")).get(0));
    assertEquals("Deny", statement.get("Effect"));
    assertEquals("s3:*", statement.get("Action"));
    assertEquals(Map.of("aws:SecureTransport", "false"), map(map(statement.get("Condition")).get("Bool")));
  }

  @Test
  void uploadsCompleteOnTheBucketEventAndTheSweepAndTheLocalStackCreatesTheBucket() throws Exception {
    Map<String, Object> events = map(map(map(resources().get("AssetUploadsFunction")).get("Properties")).get("Events"));
    Map<String, Object> uploaded = map(events.get("Uploaded"));
    assertEquals("S3", uploaded.get("Type"));
    assertEquals("s3:ObjectCreated:*", map(uploaded.get("Properties")).get("Events"));
    assertEquals("Schedule", map(events.get("AbandonedUploads")).get("Type"));

    Template template = Template.load(Path.of("..", "template.yaml"));
    Template.BucketDef bucket = template.buckets().get("AssetsBucket");
    assertTrue(bucket.versioned() && bucket.cors());
    assertEquals("ea-assets-123456789012-us-east-1-dev", template.resolve(bucket.bucketName(), Map.of(), Map.of(), "us-east-1"));
    assertEquals("ea-assets-123456789012-us-east-1-dev",
        template.resolvedEnvironment(Map.of("Table", "t", "UserPool", "p", "ReconcileQueue", "q",
            "IntegrationEventBus", "bus", "WebhookDeliveryQueue", "wq", "WebhookDeadLetterQueue", "wdlq"), Map.of(), "us-east-1").get("ASSETS_BUCKET"));
  }
}
