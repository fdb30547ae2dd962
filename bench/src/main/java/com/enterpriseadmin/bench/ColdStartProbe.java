package com.enterpriseadmin.bench;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

/**
 * One cold start, in the JVM it was started in: {@code ColdStartProbe [--primed <rounds>] <handlerClass> <event>...}.
 * Run by {@link ColdStartBench} with ONLY the functions jar, its runtime dependencies and the bench's
 * two classes (this one and {@link HelloWorldHandler}) on the classpath.
 *
 * <p>Constructs the handler (the Lambda INIT phase); with {@code --primed}, then runs the SnapStart
 * priming the handler registered, {@code rounds} times ({@code Wiring.prime(rounds)}: what Lambda's
 * checkpoint runs before the snapshot); then invokes the handler once per event, in order. Prints one line {@code COLDSTART k=v ...}
 * with: {@code jvmStartMs} (RuntimeMXBean start time, epoch ms), {@code mainMs} (epoch ms on entering
 * main), {@code constructedMs} (epoch ms once the handler is constructed, the INIT phase's end),
 * {@code primingMs}, {@code invokeMs} (the handleRequest durations, comma-separated) and
 * {@code vmHwmKb} / {@code vmRssKb} (/proc/self/status), then {@code RESPONSE<i> <base64>} per
 * invocation. The management classes are loaded only after everything is measured. It is also the
 * Lambda {@link Context} of the invocations.
 */
public final class ColdStartProbe implements Context {

  /** Not a random UUID: SecureRandom's first use would be charged to every handler's first invocation, hello world's too. */
  private final String requestId = "probe-" + System.nanoTime();
  private final String functionName;

  private ColdStartProbe(String functionName) {
    this.functionName = functionName;
  }

  public static void main(String[] args) throws Exception {
    long mainMs = System.currentTimeMillis();
    boolean primed = args[0].equals("--primed");
    int rounds = primed ? Integer.parseInt(args[1]) : 0;
    int first = primed ? 2 : 0;
    String handlerClass = args[first];
    RequestStreamHandler handler = (RequestStreamHandler) Class.forName(handlerClass).getDeclaredConstructor().newInstance();
    long constructedMs = System.currentTimeMillis();
    double primingMs = 0;
    if (primed) {
      long p0 = System.nanoTime();
      com.enterpriseadmin.config.Wiring.get().prime(rounds);
      primingMs = (System.nanoTime() - p0) / 1e6;
    }

    String name = handlerClass.substring(handlerClass.lastIndexOf('.') + 1);
    StringBuilder invokeMs = new StringBuilder();
    long firstFromMs = 0;
    long firstToMs = 0;
    java.util.List<byte[]> responses = new java.util.ArrayList<>();
    for (int i = first + 1; i < args.length; i++) {
      byte[] event = Files.readAllBytes(Path.of(args[i]));
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      // The context (its request id is a string concatenation, linked at its first use) and the input stream are made
      // before the clock starts: Lambda's runtime makes them outside the handler too.
      ColdStartProbe context = new ColdStartProbe(name);
      ByteArrayInputStream in = new ByteArrayInputStream(event);
      if (i == first + 1) firstFromMs = System.currentTimeMillis();
      long t0 = System.nanoTime();
      handler.handleRequest(in, out, context);
      long t1 = System.nanoTime();
      if (i == first + 1) firstToMs = System.currentTimeMillis();
      invokeMs.append(invokeMs.isEmpty() ? "" : ",").append((t1 - t0) / 1e6);
      responses.add(out.toByteArray());
    }

    long jvmStartMs = ManagementFactory.getRuntimeMXBean().getStartTime();
    String status = Files.readString(Path.of("/proc/self/status"));
    System.out.println("COLDSTART jvmStartMs=" + jvmStartMs + " mainMs=" + mainMs + " constructedMs=" + constructedMs
        + " primingMs=" + primingMs + " invokeMs=" + invokeMs + " firstFromMs=" + firstFromMs + " firstToMs=" + firstToMs
        + " vmHwmKb=" + kb(status, "VmHWM:") + " vmRssKb=" + kb(status, "VmRSS:"));
    for (int i = 0; i < responses.size(); i++) {
      System.out.println("RESPONSE" + (i + 1) + " " + Base64.getEncoder().encodeToString(responses.get(i)));
    }
    System.out.flush();
  }

  private static long kb(String status, String field) {
    for (String line : status.split("\n")) {
      if (line.startsWith(field)) return Long.parseLong(line.substring(field.length()).replaceAll("\\D", ""));
    }
    return -1;
  }

  // ------------------------------------------------------------------------------ Context

  private static final LambdaLogger LOGGER = new LambdaLogger() {
    @Override public void log(String message) { System.out.print(message); }
    @Override public void log(byte[] message) { log(new String(message, StandardCharsets.UTF_8)); }
  };

  @Override public String getAwsRequestId() { return requestId; }
  @Override public String getLogGroupName() { return "/aws/lambda/" + functionName; }
  @Override public String getLogStreamName() { return "probe"; }
  @Override public String getFunctionName() { return functionName; }
  @Override public String getFunctionVersion() { return "$LATEST"; }
  @Override public String getInvokedFunctionArn() { return "arn:aws:lambda:us-east-1:000000000000:function:" + functionName; }
  @Override public CognitoIdentity getIdentity() { return null; }
  @Override public ClientContext getClientContext() { return null; }
  @Override public int getRemainingTimeInMillis() { return 15_000; }
  @Override public int getMemoryLimitInMB() { return 1024; }
  @Override public LambdaLogger getLogger() { return LOGGER; }
}
