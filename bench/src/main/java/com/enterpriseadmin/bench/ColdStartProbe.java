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
import java.util.UUID;

/**
 * One cold start, in the JVM it was started in: {@code ColdStartProbe <handlerClass> <event1>
 * [<event2>]}. Run by {@link ColdStartBench} with ONLY the functions jar, its runtime dependencies
 * and this class on the classpath (it needs nothing but the JDK and aws-lambda-java-core).
 *
 * <p>Prints one line {@code COLDSTART k=v ...} with: {@code jvmStartMs} (RuntimeMXBean start time,
 * epoch ms), {@code mainMs} (epoch ms on entering main), {@code constructedMs} (epoch ms once the
 * handler is constructed, the Lambda INIT phase's end), {@code invoke1Ms} / {@code invoke2Ms} (the
 * two handleRequest durations) and {@code vmHwmKb} / {@code vmRssKb} (/proc/self/status), then
 * {@code RESPONSE1 <base64>} and {@code RESPONSE2 <base64>}. The management classes are loaded
 * only after everything is measured. It is also the Lambda {@link Context} of both invocations.
 */
public final class ColdStartProbe implements Context {

  private final String requestId = UUID.randomUUID().toString();
  private final String functionName;

  private ColdStartProbe(String functionName) {
    this.functionName = functionName;
  }

  public static void main(String[] args) throws Exception {
    long mainMs = System.currentTimeMillis();
    RequestStreamHandler handler = (RequestStreamHandler) Class.forName(args[0]).getDeclaredConstructor().newInstance();
    long constructedMs = System.currentTimeMillis();

    byte[] event1 = Files.readAllBytes(Path.of(args[1]));
    byte[] event2 = args.length > 2 ? Files.readAllBytes(Path.of(args[2])) : event1;
    String name = args[0].substring(args[0].lastIndexOf('.') + 1);

    ByteArrayOutputStream out1 = new ByteArrayOutputStream();
    long t0 = System.nanoTime();
    handler.handleRequest(new ByteArrayInputStream(event1), out1, new ColdStartProbe(name));
    long t1 = System.nanoTime();
    ByteArrayOutputStream out2 = new ByteArrayOutputStream();
    handler.handleRequest(new ByteArrayInputStream(event2), out2, new ColdStartProbe(name));
    long t2 = System.nanoTime();

    long jvmStartMs = ManagementFactory.getRuntimeMXBean().getStartTime();
    String status = Files.readString(Path.of("/proc/self/status"));
    System.out.println("COLDSTART jvmStartMs=" + jvmStartMs + " mainMs=" + mainMs + " constructedMs=" + constructedMs
        + " invoke1Ms=" + (t1 - t0) / 1e6 + " invoke2Ms=" + (t2 - t1) / 1e6
        + " vmHwmKb=" + kb(status, "VmHWM:") + " vmRssKb=" + kb(status, "VmRSS:"));
    System.out.println("RESPONSE1 " + Base64.getEncoder().encodeToString(out1.toByteArray()));
    System.out.println("RESPONSE2 " + Base64.getEncoder().encodeToString(out2.toByteArray()));
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
