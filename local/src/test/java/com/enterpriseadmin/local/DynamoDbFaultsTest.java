package com.enterpriseadmin.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.InternalServerErrorException;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

class DynamoDbFaultsTest {

  @AfterEach
  void uninstall() {
    DynamoDbFaults.uninstall();
  }

  @Test
  void theSpecNamesWhatIsWrong() {
    DynamoDbFaults.Spec spec = DynamoDbFaults.Spec.parse("seed=42,throttle=0.05,conflict=0.05,error500=0.02,timeoutAfterWrite=0.02");
    assertEquals(42, spec.seed());
    assertEquals("seed=42,throttle=0.05,conflict=0.05,error500=0.02,timeoutAfterWrite=0.02", spec.toString());
    assertEquals("seed=1,throttle=0.0,conflict=0.1,error500=0.0,timeoutAfterWrite=0.0", DynamoDbFaults.Spec.parse("conflict=0.1").toString());
    for (Map.Entry<String, String> bad : Map.of(
        "throttle=0.5,slow=0.1", "unknown 'slow'",
        "throttle=lots", "throttle is not a number",
        "throttle=1.5", "throttle must be a probability",
        "throttle=0.6,error500=0.6", "add up to",
        "seed", "expected name=value").entrySet()) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DynamoDbFaults.Spec.parse(bad.getKey()));
      assertTrue(e.getMessage().contains(bad.getValue()), e.getMessage());
    }
  }

  @Test
  void theSameSeedDrawsTheSameFaultsAtTheRequestedRates() {
    DynamoDbFaults.Spec spec = DynamoDbFaults.Spec.parse("seed=7,throttle=0.05,conflict=0.05,error500=0.02,timeoutAfterWrite=0.02");
    TransactWriteItemsRequest tx = TransactWriteItemsRequest.builder().transactItems(TransactWriteItem.builder().build(),
        TransactWriteItem.builder().build(), TransactWriteItem.builder().build()).build();
    List<String> first = draws(new DynamoDbFaults.Injector(spec), tx, 20_000);
    assertEquals(first, draws(new DynamoDbFaults.Injector(spec), tx, 20_000));
    assertTrue(!first.equals(draws(new DynamoDbFaults.Injector(DynamoDbFaults.Spec.parse("seed=8,throttle=0.05,conflict=0.05")), tx, 20_000)));
    Map<String, Long> counts = new java.util.TreeMap<>();
    first.forEach(d -> counts.merge(d, 1L, Long::sum));
    // 20,000 draws: each rate within 20% of its expectation.
    assertEquals(1000, counts.get("ProvisionedThroughputExceededException"), 200);
    assertEquals(1000, counts.get("TransactionCanceledException"), 200);
    assertEquals(400, counts.get("InternalServerErrorException"), 80);
    assertEquals(400, counts.get("dropAnswer"), 80);
  }

  @Test
  void conflictsMeetOnlyTransactionsAndDroppedAnswersOnlyWrites() {
    DynamoDbFaults.Injector conflicts = new DynamoDbFaults.Injector(DynamoDbFaults.Spec.parse("conflict=1"));
    assertEquals(List.of("none"), draws(conflicts, GetItemRequest.builder().build(), 1));
    assertEquals(List.of("none"), draws(conflicts, PutItemRequest.builder().build(), 1));
    TransactionCanceledException e = (TransactionCanceledException) conflicts.draw(TransactWriteItemsRequest.builder()
        .transactItems(TransactWriteItem.builder().build(), TransactWriteItem.builder().build()).build()).fault();
    assertEquals(1, e.cancellationReasons().stream().filter(r -> r.code().equals("TransactionConflict")).count());
    assertEquals(1, e.cancellationReasons().stream().filter(r -> r.code().equals("None")).count());
    assertEquals(1, conflicts.counts().faults().get("conflict"));

    DynamoDbFaults.Injector timeouts = new DynamoDbFaults.Injector(DynamoDbFaults.Spec.parse("timeoutAfterWrite=1"));
    assertEquals(List.of("none"), draws(timeouts, GetItemRequest.builder().build(), 1));
    assertEquals(List.of("dropAnswer"), draws(timeouts, PutItemRequest.builder().build(), 1));
  }

  /** Through a real SDK client: the hooks run per attempt, the SDK retries what it retries, and a dropped answer's write landed. */
  @Test
  void theSdkMeetsTheFaultsPerAttemptAndAnAppliedWritesAnswerIsLost() throws Exception {
    AtomicInteger received = new AtomicInteger();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      exchange.getRequestBody().readAllBytes();
      received.incrementAndGet();
      byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.0");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
    try (DynamoDbClient dynamo = DynamoDbClient.builder().endpointOverride(URI.create("http://127.0.0.1:" + server.getAddress().getPort()))
        .region(Region.US_EAST_1).credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
        .httpClient(UrlConnectionHttpClient.create())
        // The SDK's standard retries (the functions' client keeps DynamoDB's defaults), without the waits.
        .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder().maxAttempts(4)
            .backoffStrategy(BackoffStrategy.retryImmediately()).throttlingBackoffStrategy(BackoffStrategy.retryImmediately())
            .circuitBreakerEnabled(false).build()))
        .build()) {
      PutItemRequest put = PutItemRequest.builder().tableName("t").item(Map.of("PK", AttributeValue.fromS("a"))).build();

      // Not installed: the global interceptor passes everything through.
      dynamo.putItem(put);
      assertEquals(1, received.getAndSet(0));
      assertNull(DynamoDbFaults.counts());

      DynamoDbFaults.install(DynamoDbFaults.Spec.parse("throttle=1"));
      assertThrows(ProvisionedThroughputExceededException.class, () -> dynamo.putItem(put));
      assertEquals(0, received.get(), "a throttled attempt is never sent");
      assertEquals(4, DynamoDbFaults.counts().faults().get("throttle"), "the SDK retried the throttled call, each attempt throttled");
      assertEquals(4, DynamoDbFaults.counts().attempts());

      DynamoDbFaults.install(DynamoDbFaults.Spec.parse("error500=1"));
      assertThrows(InternalServerErrorException.class, () -> dynamo.putItem(put));
      assertEquals(0, received.get());
      assertEquals(4, DynamoDbFaults.counts().faults().get("error500"));

      DynamoDbFaults.install(DynamoDbFaults.Spec.parse("timeoutAfterWrite=1"));
      // The first dropped answer is a read timeout, which the SDK retries by sending the write again;
      // the second is the call's timeout, which reaches the caller: the write landed twice, the caller saw an error.
      assertInstanceOf(ApiCallTimeoutException.class, assertThrows(RuntimeException.class, () -> dynamo.putItem(put)));
      assertEquals(2, received.getAndSet(0));
      assertEquals(2, DynamoDbFaults.counts().faults().get("timeoutAfterWrite"));

      DynamoDbFaults.activate(false);
      dynamo.putItem(put);
      assertEquals(1, received.get(), "paused: nothing injected");
    } finally {
      server.stop(0);
    }
  }

  private static List<String> draws(DynamoDbFaults.Injector injector, software.amazon.awssdk.core.SdkRequest request, int n) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      DynamoDbFaults.Draw d = injector.draw(request);
      out.add(d.fault() != null ? d.fault().getClass().getSimpleName() : d.dropAnswer() ? "dropAnswer" : "none");
    }
    return out;
  }
}
