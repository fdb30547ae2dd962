package com.enterpriseadmin.local;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.nio.charset.StandardCharsets;

/** The Lambda {@link Context} of one local invocation. */
final class LocalContext implements Context {

  private static final LambdaLogger LOGGER = new LambdaLogger() {
    @Override
    public void log(String message) {
      System.out.print(message);
      System.out.flush();
    }

    @Override
    public void log(byte[] message) {
      log(new String(message, StandardCharsets.UTF_8));
    }
  };

  private final String requestId;
  private final Template.Function function;
  private final String region;
  private final long deadlineMillis;

  LocalContext(String requestId, Template.Function function, String region) {
    this.requestId = requestId;
    this.function = function;
    this.region = region;
    this.deadlineMillis = System.currentTimeMillis() + function.timeoutSeconds() * 1000L;
  }

  @Override public String getAwsRequestId() { return requestId; }
  @Override public String getLogGroupName() { return "/aws/lambda/" + function.logicalId(); }
  @Override public String getLogStreamName() { return "local/[$LATEST]" + function.logicalId(); }
  @Override public String getFunctionName() { return function.logicalId(); }
  @Override public String getFunctionVersion() { return "$LATEST"; }
  @Override public String getInvokedFunctionArn() { return LocalAws.functionArn(region, function.logicalId()); }
  @Override public CognitoIdentity getIdentity() { return null; }
  @Override public ClientContext getClientContext() { return null; }
  @Override public int getRemainingTimeInMillis() { return (int) Math.max(0, deadlineMillis - System.currentTimeMillis()); }
  @Override public int getMemoryLimitInMB() { return function.memoryMb(); }
  @Override public LambdaLogger getLogger() { return LOGGER; }
}
