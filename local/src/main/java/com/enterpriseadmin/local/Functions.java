package com.enterpriseadmin.local;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The template's functions, each ONE handler instance created on first use and then kept (a warm
 * Lambda). Invocations run concurrently, on the caller's thread.
 */
public final class Functions {

  /** A handler failure, as Lambda reports it ({@code errorType}, {@code errorMessage}). */
  public static final class InvocationException extends Exception {
    private final String errorType;

    InvocationException(String errorType, String message, Throwable cause) {
      super(message, cause);
      this.errorType = errorType;
    }

    public String errorType() {
      return errorType;
    }
  }

  private final Template template;
  private final String region;
  private final Map<String, RequestStreamHandler> instances = new ConcurrentHashMap<>();

  public Functions(Template template, String region) {
    this.template = template;
    this.region = region;
  }

  /** Resolves a logical id, a function name, or an ARN ending in {@code :function:<name>[:qualifier]}. */
  public Optional<Template.Function> find(String nameOrArn) {
    String name = nameOrArn;
    int at = name.indexOf(":function:");
    if (at >= 0) name = name.substring(at + ":function:".length()).split(":")[0];
    return Optional.ofNullable(template.functions().get(name));
  }

  /** Whether the handler class is on the classpath (logged at start; a missing one fails on use). */
  public boolean loadable(Template.Function function) {
    try {
      Class.forName(function.handlerClass(), false, getClass().getClassLoader());
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }

  public byte[] invoke(Template.Function function, byte[] event, String requestId) throws InvocationException {
    RequestStreamHandler handler;
    try {
      handler = instances.computeIfAbsent(function.logicalId(), id -> instantiate(function));
    } catch (RuntimeException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw new InvocationException("Runtime.ImportModuleError", "cannot initialise " + function.handlerClass() + ": " + cause, cause);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      handler.handleRequest(new ByteArrayInputStream(event), out, new LocalContext(requestId, function, region));
    } catch (Throwable t) {
      throw new InvocationException(t.getClass().getName(), String.valueOf(t.getMessage()), t);
    }
    return out.toByteArray();
  }

  private RequestStreamHandler instantiate(Template.Function function) {
    try {
      Class<?> type = Class.forName(function.handlerClass(), true, getClass().getClassLoader());
      if (!RequestStreamHandler.class.isAssignableFrom(type)) {
        throw new IllegalStateException(function.handlerClass() + " does not implement RequestStreamHandler");
      }
      if (!function.handlerMethod().equals("handleRequest")) {
        throw new IllegalStateException("only ::handleRequest is supported, got ::" + function.handlerMethod());
      }
      return (RequestStreamHandler) type.getDeclaredConstructor().newInstance();
    } catch (ReflectiveOperationException | LinkageError e) {
      throw new IllegalStateException(e);
    }
  }
}
