package com.enterpriseadmin.bench;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The cold-start baseline: Lambda's hello world in Java, as a stream handler (what ours are). It reads
 * the event and answers a constant; nothing else is loaded. {@link ColdStartBench} runs it in the same
 * run, with the same classpath, JVM options and environment as the functions.
 */
public final class HelloWorldHandler implements RequestStreamHandler {
  private static final byte[] HELLO = "\"Hello, World!\"".getBytes(StandardCharsets.UTF_8);

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
    input.readAllBytes();
    output.write(HELLO);
  }
}
