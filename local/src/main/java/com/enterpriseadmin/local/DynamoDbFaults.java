package com.enterpriseadmin.local;

import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbRequest;
import software.amazon.awssdk.services.dynamodb.model.InternalServerErrorException;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * Test-only DynamoDB fault injection for the local runtime ({@code --dynamodb-faults}), never deployed:
 * it lives in the local module, not in the functions' jar. The SDK loads it into every client of the JVM
 * (a global interceptor: {@code software/amazon/awssdk/global/handlers/execution.interceptors}); it does
 * nothing until {@link #install} is called, which only {@link LocalRuntime} does, and then touches only
 * DynamoDB requests. So the functions' own client (built by their composition root, unchanged) meets the
 * faults, and no production code knows about them.
 *
 * <p>Faults are drawn per <em>attempt</em> (the SDK retries throttling, 500s and I/O failures itself; each
 * retry is an attempt and may meet a fault of its own), from a seeded sequence: the n-th attempt of the
 * runtime always gets the same draw, so a seed reproduces the same faults for the same order of requests.
 * <ul>
 * <li>{@code throttle}: {@code ProvisionedThroughputExceededException} (400) before sending;</li>
 * <li>{@code conflict}: {@code TransactionCanceledException} with a {@code TransactionConflict} reason on one
 *     action (the others {@code None}) before sending; TransactWriteItems only;</li>
 * <li>{@code error500}: {@code InternalServerError} (500) before sending;</li>
 * <li>{@code timeoutAfterWrite}: a write (PutItem, UpdateItem, DeleteItem, TransactWriteItems, BatchWriteItem)
 *     is sent and applied by DynamoDB, then its successful answer is dropped: alternately a read timeout
 *     (an {@code SdkClientException} caused by a {@code SocketTimeoutException}, which the SDK retries by
 *     sending the write again) and the call's timeout ({@code ApiCallTimeoutException}, which reaches the
 *     function). The caller does not know that its write landed.</li>
 * </ul>
 */
public final class DynamoDbFaults implements ExecutionInterceptor {

  /** The kinds of fault, by the name the flag and the counts use. */
  public enum Kind {
    THROTTLE("throttle"), CONFLICT("conflict"), ERROR_500("error500"), TIMEOUT_AFTER_WRITE("timeoutAfterWrite");

    final String flag;

    Kind(String flag) {
      this.flag = flag;
    }
  }

  /** {@code seed=7,throttle=0.05,conflict=0.05,error500=0.02,timeoutAfterWrite=0.02}: probabilities per attempt. */
  public record Spec(long seed, Map<Kind, Double> rates) {
    public Spec {
      rates = Map.copyOf(rates);
      double sum = 0;
      for (Map.Entry<Kind, Double> e : rates.entrySet()) {
        if (!(e.getValue() >= 0 && e.getValue() <= 1)) {
          throw new IllegalArgumentException("--dynamodb-faults: " + e.getKey().flag + " must be a probability from 0 to 1, got " + e.getValue());
        }
        sum += e.getValue();
      }
      if (sum > 1) throw new IllegalArgumentException("--dynamodb-faults: the probabilities add up to " + sum + ", more than 1");
    }

    public static Spec parse(String text) {
      long seed = 1;
      Map<Kind, Double> rates = new EnumMap<>(Kind.class);
      for (String part : text.split(",")) {
        String[] kv = part.trim().split("=", 2);
        if (kv.length != 2 || kv[1].isBlank()) {
          throw new IllegalArgumentException("--dynamodb-faults: expected name=value, got '" + part.trim() + "'");
        }
        String name = kv[0].trim();
        try {
          if (name.equals("seed")) {
            seed = Long.parseLong(kv[1].trim());
            continue;
          }
          Kind kind = null;
          for (Kind k : Kind.values()) {
            if (k.flag.equals(name)) kind = k;
          }
          if (kind == null) {
            throw new IllegalArgumentException("--dynamodb-faults: unknown '" + name + "'; use seed, throttle, conflict, error500, timeoutAfterWrite");
          }
          rates.put(kind, Double.parseDouble(kv[1].trim()));
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("--dynamodb-faults: " + name + " is not a number: '" + kv[1].trim() + "'");
        }
      }
      return new Spec(seed, rates);
    }

    double rate(Kind kind) {
      return rates.getOrDefault(kind, 0.0);
    }

    @Override
    public String toString() {
      List<String> parts = new ArrayList<>(List.of("seed=" + seed));
      for (Kind k : Kind.values()) parts.add(k.flag + "=" + rate(k));
      return String.join(",", parts);
    }
  }

  /** The state of the installed injector, as the invoke port's {@code GET /local/dynamodb-faults} shows it. */
  public record Counts(String spec, boolean active, long attempts, Map<String, Long> faults) {}

  /** The installed injector; null: every instance of this interceptor passes everything through. */
  private static volatile Injector installed;

  private static final ExecutionAttribute<Boolean> DROP_ANSWER = new ExecutionAttribute<>("DynamoDbFaults.dropAnswer");

  /** Turns fault injection on for every DynamoDB client of this JVM, active at once. */
  public static void install(Spec spec) {
    installed = new Injector(spec);
  }

  /** Removes the injector (tests). */
  static void uninstall() {
    installed = null;
  }

  /** Pauses or resumes injection (counts are kept); false when nothing is installed. */
  public static boolean activate(boolean active) {
    Injector injector = installed;
    if (injector == null) return false;
    injector.active.set(active);
    return true;
  }

  /** Null when nothing is installed. */
  public static Counts counts() {
    Injector injector = installed;
    return injector == null ? null : injector.counts();
  }

  // ------------------------------------------------------------------------------ the SDK's hooks

  @Override
  public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
    attributes.putAttribute(DROP_ANSWER, false);
    Injector injector = installed;
    if (injector == null || !(context.request() instanceof DynamoDbRequest) || !injector.active.get()) return;
    Draw draw = injector.draw(context.request());
    if (draw.fault() != null) throw draw.fault();
    attributes.putAttribute(DROP_ANSWER, draw.dropAnswer());
  }

  @Override
  public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attributes) {
    Injector injector = installed;
    if (injector == null || !Boolean.TRUE.equals(attributes.getAttribute(DROP_ANSWER))) return;
    attributes.putAttribute(DROP_ANSWER, false);
    if (context.httpResponse().isSuccessful()) throw injector.dropAnswer();
  }

  // ------------------------------------------------------------------------------ the draws

  /** An attempt's fate: a fault instead of sending it, or its answer dropped after it was applied, or neither. */
  record Draw(SdkException fault, boolean dropAnswer) {}

  static final class Injector {
    private final Spec spec;
    private final AtomicBoolean active = new AtomicBoolean(true);
    private final AtomicLong attempts = new AtomicLong();
    private final Map<Kind, AtomicLong> faults = new EnumMap<>(Kind.class);

    Injector(Spec spec) {
      this.spec = spec;
      for (Kind k : Kind.values()) faults.put(k, new AtomicLong());
    }

    /** What happens to this attempt: the n-th attempt of the JVM always draws the same number. */
    Draw draw(SdkRequest request) {
      long n = attempts.getAndIncrement();
      double u = unit(mix(spec.seed() ^ mix(n)));
      double edge = 0;
      for (Kind kind : Kind.values()) {
        edge += spec.rate(kind);
        if (u < edge) {
          if (kind == Kind.TIMEOUT_AFTER_WRITE) return new Draw(null, writes(request));
          return new Draw(fault(kind, request, n), false);
        }
      }
      return new Draw(null, false);
    }

    /** The exception thrown instead of sending (null: none for this request), counted. */
    private SdkException fault(Kind kind, SdkRequest request, long n) {
      switch (kind) {
        case THROTTLE -> {
          faults.get(kind).incrementAndGet();
          return ProvisionedThroughputExceededException.builder().statusCode(400)
              .message("The level of configured provisioned throughput for the table was exceeded (injected)")
              .awsErrorDetails(details("ProvisionedThroughputExceededException", 400, "throughput exceeded (injected)")).build();
        }
        case CONFLICT -> {
          if (!(request instanceof TransactWriteItemsRequest tx)) return null;
          faults.get(kind).incrementAndGet();
          int conflicted = (int) Math.floorMod(mix(n ^ 0x5DEECE66DL), (long) tx.transactItems().size());
          List<CancellationReason> reasons = new ArrayList<>();
          List<String> codes = new ArrayList<>();
          for (int i = 0; i < tx.transactItems().size(); i++) {
            String code = i == conflicted ? "TransactionConflict" : "None";
            codes.add(code);
            reasons.add(CancellationReason.builder().code(code)
                .message(i == conflicted ? "Transaction is ongoing for the item" : null).build());
          }
          String message = "Transaction cancelled, please refer cancellation reasons for specific reasons " + codes + " (injected)";
          return TransactionCanceledException.builder().statusCode(400).message(message).cancellationReasons(reasons)
              .awsErrorDetails(details("TransactionCanceledException", 400, message)).build();
        }
        case ERROR_500 -> {
          faults.get(kind).incrementAndGet();
          return InternalServerErrorException.builder().statusCode(500).message("Internal server error (injected)")
              .awsErrorDetails(details("InternalServerError", 500, "Internal server error (injected)")).build();
        }
        default -> throw new IllegalStateException(kind.name());
      }
    }

    /** The answer of an applied write, lost: alternately retried by the SDK and surfaced to the caller. */
    SdkException dropAnswer() {
      long n = faults.get(Kind.TIMEOUT_AFTER_WRITE).incrementAndGet();
      if (n % 2 == 1) {
        return SdkClientException.builder().message("Unable to execute HTTP request: Read timed out (injected after the write was applied)")
            .cause(new SocketTimeoutException("Read timed out")).build();
      }
      return ApiCallTimeoutException.builder()
          .message("Client execution did not complete before the specified timeout configuration (injected after the write was applied)").build();
    }

    Counts counts() {
      Map<String, Long> out = new LinkedHashMap<>();
      for (Kind k : Kind.values()) out.put(k.flag, faults.get(k).get());
      return new Counts(spec.toString(), active.get(), attempts.get(), out);
    }

    private static boolean writes(SdkRequest request) {
      return request instanceof PutItemRequest || request instanceof UpdateItemRequest || request instanceof DeleteItemRequest
          || request instanceof TransactWriteItemsRequest || request instanceof BatchWriteItemRequest;
    }

    private static AwsErrorDetails details(String code, int status, String message) {
      return AwsErrorDetails.builder().errorCode(code).errorMessage(message).serviceName("DynamoDb")
          .sdkHttpResponse(SdkHttpResponse.builder().statusCode(status).build()).build();
    }

    /** SplitMix64's finalizer: a well-spread 64-bit value for each input. */
    static long mix(long z) {
      z += 0x9E3779B97F4A7C15L;
      z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
      z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
      return z ^ (z >>> 31);
    }

    private static double unit(long bits) {
      return (bits >>> 11) * 0x1.0p-53;
    }
  }
}
