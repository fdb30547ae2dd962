package com.enterpriseadmin.local;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * What the local stack needs from {@code template.yaml}, the single source of routes, functions,
 * schedules, triggers and the table: nothing here is declared a second time.
 *
 * <p>CloudFormation short tags ({@code !Ref}, {@code !GetAtt}, {@code !Sub}, ...) are kept as
 * {@link Intrinsic} values; long forms ({@code {"Ref": ...}}, {@code {"Fn::Sub": ...}}) too.
 */
public record Template(
    Map<String, Parameter> parameters,
    Map<String, Function> functions,
    List<Route> routes,
    List<Schedule> schedules,
    Map<String, String> triggers,
    TableDef table,
    UserPoolDef userPool,
    ClientDef client,
    Throttling throttling,
    Map<String, QueueDef> queues,
    List<QueueEvent> queueEvents,
    List<StreamEvent> streamEvents) {

  /** A CloudFormation intrinsic function: {@code Ref}, {@code Fn::Sub}, {@code Fn::GetAtt}, ... */
  public record Intrinsic(String name, Object value) {}

  public record Parameter(String name, String type, String defaultValue) {}

  /** A function; {@code environment} holds unresolved values (strings or {@link Intrinsic}s). */
  public record Function(
      String logicalId,
      String handlerClass,
      String handlerMethod,
      int timeoutSeconds,
      int memoryMb,
      Map<String, Object> environment) {}

  /**
   * An {@code HttpApi} event: {@code method} is upper case, or {@code ANY}; {@code authorized}
   * when the event names an authorizer other than {@code NONE}, or names none and the HttpApi has a
   * {@code DefaultAuthorizer} (the JWT authorizer); {@code iam} when it names {@code AWS_IAM} (SigV4,
   * checked by {@link SigV4Verifier}; such a route is not JWT-{@code authorized}).
   */
  public record Route(String method, String path, String functionId, String eventName, boolean authorized, boolean iam) {
    public Route(String method, String path, String functionId, String eventName, boolean authorized) {
      this(method, path, functionId, eventName, authorized, false);
    }

    public String routeKey() {
      return method + " " + path;
    }
  }

  /** A {@code Schedule} event: {@code expression} is {@code rate(...)} or {@code cron(...)}. */
  public record Schedule(String functionId, String eventName, String expression, boolean enabled) {}

  /**
   * An {@code AWS::SQS::Queue}: its visibility timeout (seconds, SQS's default 30) and, if it has a
   * {@code RedrivePolicy}, the logical id of its dead-letter queue and {@code maxReceiveCount}.
   */
  public record QueueDef(String logicalId, int visibilityTimeoutSeconds, int messageRetentionSeconds, String deadLetterQueueId,
      int maxReceiveCount) {}

  /**
   * An {@code SQS} event source: the queue's logical id (from {@code !GetAtt Q.Arn}), {@code BatchSize}
   * (SQS's default 10), and whether the function answers {@code batchItemFailures}
   * ({@code FunctionResponseTypes: [ReportBatchItemFailures]}).
   */
  public record QueueEvent(String functionId, String eventName, String queueId, int batchSize, boolean reportBatchItemFailures) {}

  /**
   * A {@code DynamoDB} event source on the table's stream ({@code Stream: !GetAtt <table>.StreamArn}), with
   * Lambda's defaults: {@code BatchSize} 100, {@code MaximumBatchingWindowInSeconds} 0,
   * {@code MaximumRetryAttempts} -1 (until the record expires), no bisection, no partial batch responses,
   * {@code onFailureQueueId} the logical id of the {@code DestinationConfig.OnFailure} queue (or null).
   */
  public record StreamEvent(String functionId, String eventName, String startingPosition, int batchSize, int batchingWindowSeconds,
      boolean reportBatchItemFailures, boolean bisectOnError, int maximumRetryAttempts, String onFailureQueueId) {}

  public record KeyElement(String attributeName, String keyType) {}

  public record Index(String name, List<KeyElement> keySchema, String projectionType, List<String> nonKeyAttributes) {}

  public record TableDef(
      String logicalId,
      Map<String, String> attributeDefinitions,
      List<KeyElement> keySchema,
      List<Index> globalSecondaryIndexes,
      String billingMode,
      String ttlAttribute,
      String streamViewType) {}

  public record PasswordPolicy(
      int minimumLength, boolean requireLowercase, boolean requireUppercase, boolean requireNumbers, boolean requireSymbols) {}

  public record SchemaAttribute(String name, String dataType, boolean required, boolean mutable) {}

  public record UserPoolDef(
      String logicalId,
      Object poolName,
      List<String> usernameAttributes,
      List<String> autoVerifiedAttributes,
      Boolean usernameCaseSensitive,
      PasswordPolicy passwordPolicy,
      List<SchemaAttribute> schema) {}

  public record ClientDef(String logicalId, Object clientName, List<String> explicitAuthFlows, boolean generateSecret) {}

  /** A route's throttle as written ({@code ThrottlingRateLimit} / {@code ThrottlingBurstLimit}, possibly {@code !Ref}s). */
  public record Throttle(Object rateLimit, Object burstLimit) {}

  /**
   * The HttpApi's stage throttling: {@code DefaultRouteSettings} for every route and {@code RouteSettings}
   * by route key ({@code "GET /v1/..."}); either may be absent (no throttle).
   */
  public record Throttling(Optional<Throttle> defaults, Map<String, Throttle> byRoute) {
    static final Throttling NONE = new Throttling(Optional.empty(), Map.of());
  }

  // ------------------------------------------------------------------------------ loading

  public static Template load(Path file) throws IOException {
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return parse(reader);
    }
  }

  @SuppressWarnings("unchecked")
  public static Template parse(Reader reader) {
    Object loaded = new Yaml(new CloudFormationConstructor()).load(reader);
    Map<String, Object> root = map(loaded, "template");
    Map<String, Object> resources = map(root.get("Resources"), "Resources");
    Map<String, Object> globals = optMap(optMap(root.get("Globals")).get("Function"));

    Map<String, Parameter> parameters = new LinkedHashMap<>();
    optMap(root.get("Parameters")).forEach((name, def) -> {
      Map<String, Object> p = map(def, "Parameters." + name);
      parameters.put(name, new Parameter(name, str(p.get("Type")), p.containsKey("Default") ? scalar(p.get("Default")) : null));
    });

    Map<String, Function> functions = new LinkedHashMap<>();
    List<Route> routes = new ArrayList<>();
    List<Schedule> schedules = new ArrayList<>();
    Map<String, QueueDef> queues = new LinkedHashMap<>();
    List<QueueEvent> queueEvents = new ArrayList<>();
    List<StreamEvent> streamEvents = new ArrayList<>();
    Map<String, String> triggers = new LinkedHashMap<>();
    TableDef table = null;
    UserPoolDef pool = null;
    ClientDef client = null;
    Throttling throttling = Throttling.NONE;

    boolean defaultAuthorizer = resources.values().stream()
        .map(r -> map(r, "resource"))
        .filter(r -> "AWS::Serverless::HttpApi".equals(r.get("Type")))
        .anyMatch(r -> optMap(optMap(r.get("Properties")).get("Auth")).get("DefaultAuthorizer") != null);
    Map<String, Object> globalEnv = optMap(optMap(globals.get("Environment")).get("Variables"));
    for (var entry : resources.entrySet()) {
      String id = entry.getKey();
      Map<String, Object> resource = map(entry.getValue(), id);
      String type = str(resource.get("Type"));
      Map<String, Object> props = optMap(resource.get("Properties"));
      switch (type == null ? "" : type) {
        case "AWS::Serverless::Function" -> {
          String handler = str(firstNonNull(props.get("Handler"), globals.get("Handler")));
          if (handler == null) throw new IllegalArgumentException(id + ": no Handler");
          String[] parts = handler.split("::", 2);
          Map<String, Object> env = new TreeMap<>(globalEnv);
          optMap(optMap(props.get("Environment")).get("Variables")).forEach((k, v) -> {
            if (env.containsKey(k) && !Objects.equals(env.get(k), v)) {
              throw new IllegalArgumentException(id + ": environment variable " + k + " conflicts with Globals");
            }
            env.put(k, v);
          });
          int timeout = intOr(firstNonNull(props.get("Timeout"), globals.get("Timeout")), 3);
          int memory = intOr(firstNonNull(props.get("MemorySize"), globals.get("MemorySize")), 128);
          functions.put(id, new Function(id, parts[0], parts.length > 1 ? parts[1] : "handleRequest", timeout, memory, env));
          optMap(props.get("Events")).forEach((eventName, ev) -> {
            Map<String, Object> event = map(ev, id + ".Events." + eventName);
            Map<String, Object> ep = optMap(event.get("Properties"));
            switch (String.valueOf(event.get("Type"))) {
              case "HttpApi" -> {
                String method = ep.get("Method") == null ? "ANY" : str(ep.get("Method")).toUpperCase();
                if (method.equals("*")) method = "ANY";
                String path = ep.get("Path") == null ? "$default" : str(ep.get("Path"));
                Object authorizer = optMap(ep.get("Auth")).get("Authorizer");
                boolean iam = "AWS_IAM".equals(authorizer);
                boolean authorized = !iam && (authorizer == null ? defaultAuthorizer : !"NONE".equals(authorizer));
                routes.add(new Route(method, path, id, eventName, authorized, iam));
              }
              case "Schedule", "ScheduleV2" -> {
                Object enabled = firstNonNull(ep.get("Enabled"), ep.get("State"));
                boolean on = enabled == null || Boolean.TRUE.equals(enabled) || "ENABLED".equals(enabled) || "true".equals(enabled);
                schedules.add(new Schedule(id, eventName, str(firstNonNull(ep.get("Schedule"), ep.get("ScheduleExpression"))), on));
              }
              case "SQS" -> queueEvents.add(new QueueEvent(id, eventName, referencedFunction(ep.get("Queue")), intOr(ep.get("BatchSize"), 10),
                  strings(ep.get("FunctionResponseTypes")).contains("ReportBatchItemFailures")));
              case "DynamoDB" -> streamEvents.add(streamEvent(id, eventName, ep));
              default -> { /* other event sources are not emulated */ }
            }
          });
        }
        case "AWS::Serverless::HttpApi" -> {
          if (throttling != Throttling.NONE) throw new IllegalArgumentException("more than one AWS::Serverless::HttpApi");
          Map<String, Throttle> byRoute = new LinkedHashMap<>();
          optMap(props.get("RouteSettings")).forEach((routeKey, settings) -> throttle(settings).ifPresent(t -> byRoute.put(routeKey, t)));
          throttling = new Throttling(throttle(props.get("DefaultRouteSettings")), Map.copyOf(byRoute));
        }
        case "AWS::DynamoDB::Table" -> {
          if (table != null) throw new IllegalArgumentException("more than one AWS::DynamoDB::Table");
          table = table(id, props);
        }
        case "AWS::Cognito::UserPool" -> {
          if (pool != null) throw new IllegalArgumentException("more than one AWS::Cognito::UserPool");
          pool = userPool(id, props);
          optMap(props.get("LambdaConfig")).forEach((trigger, target) -> triggers.put(trigger, referencedFunction(target)));
        }
        case "AWS::Cognito::UserPoolClient" -> {
          if (client != null) throw new IllegalArgumentException("more than one AWS::Cognito::UserPoolClient");
          client = new ClientDef(id, props.get("ClientName"), strings(props.get("ExplicitAuthFlows")),
              Boolean.TRUE.equals(props.get("GenerateSecret")));
        }
        case "AWS::SQS::Queue" -> {
          Map<String, Object> redrive = optMap(props.get("RedrivePolicy"));
          queues.put(id, new QueueDef(id, intOr(props.get("VisibilityTimeout"), 30), intOr(props.get("MessageRetentionPeriod"), 345_600),
              redrive.isEmpty() ? null : referencedFunction(redrive.get("deadLetterTargetArn")), intOr(redrive.get("maxReceiveCount"), 0)));
        }
        default -> { /* not emulated */ }
      }
    }
    for (QueueEvent e : queueEvents) {
      if (!queues.containsKey(e.queueId())) {
        throw new IllegalArgumentException(e.functionId() + "." + e.eventName() + ": the SQS event's Queue must be !GetAtt <a queue of the template>.Arn");
      }
    }
    for (StreamEvent e : streamEvents) {
      if (table == null || table.streamViewType() == null) {
        throw new IllegalArgumentException(e.functionId() + "." + e.eventName() + ": the DynamoDB event needs the table's StreamSpecification");
      }
      if (e.onFailureQueueId() != null && !queues.containsKey(e.onFailureQueueId())) {
        throw new IllegalArgumentException(e.functionId() + "." + e.eventName() + ": OnFailure must be !GetAtt <a queue of the template>.Arn");
      }
    }
    for (var t : triggers.entrySet()) {
      if (!functions.containsKey(t.getValue())) {
        throw new IllegalArgumentException("trigger " + t.getKey() + " points to unknown function " + t.getValue());
      }
    }
    routes.sort(Comparator.comparing(Route::path).thenComparing(Route::method));
    return new Template(Map.copyOf(parameters), functions, List.copyOf(routes), List.copyOf(schedules),
        triggers, table, pool, client, throttling, Map.copyOf(queues), List.copyOf(queueEvents), List.copyOf(streamEvents));
  }

  private static StreamEvent streamEvent(String functionId, String eventName, Map<String, Object> ep) {
    String where = functionId + ".Events." + eventName;
    if (!(ep.get("Stream") instanceof Intrinsic i) || !i.name().equals("Fn::GetAtt") || !(i.value() instanceof List<?> att)
        || att.size() != 2 || !"StreamArn".equals(att.get(1))) {
      throw new IllegalArgumentException(where + ": Stream must be !GetAtt <the table>.StreamArn");
    }
    Object destination = optMap(optMap(optMap(ep.get("DestinationConfig")).get("OnFailure"))).get("Destination");
    return new StreamEvent(functionId, eventName, ep.get("StartingPosition") == null ? "LATEST" : str(ep.get("StartingPosition")),
        intOr(ep.get("BatchSize"), 100), intOr(ep.get("MaximumBatchingWindowInSeconds"), 0),
        strings(ep.get("FunctionResponseTypes")).contains("ReportBatchItemFailures"),
        Boolean.TRUE.equals(ep.get("BisectBatchOnFunctionError")) || "true".equals(String.valueOf(ep.get("BisectBatchOnFunctionError"))),
        intOr(ep.get("MaximumRetryAttempts"), -1), destination == null ? null : referencedFunction(destination));
  }

  private static Optional<Throttle> throttle(Object settings) {
    Map<String, Object> m = optMap(settings);
    Object rate = m.get("ThrottlingRateLimit");
    Object burst = m.get("ThrottlingBurstLimit");
    return rate == null && burst == null ? Optional.empty() : Optional.of(new Throttle(rate, burst));
  }

  private static TableDef table(String id, Map<String, Object> props) {
    Map<String, String> attributes = new LinkedHashMap<>();
    for (Object a : list(props.get("AttributeDefinitions"))) {
      Map<String, Object> m = map(a, id + ".AttributeDefinitions");
      attributes.put(str(m.get("AttributeName")), str(m.get("AttributeType")));
    }
    List<Index> gsis = new ArrayList<>();
    for (Object g : list(props.get("GlobalSecondaryIndexes"))) {
      Map<String, Object> m = map(g, id + ".GlobalSecondaryIndexes");
      Map<String, Object> projection = optMap(m.get("Projection"));
      gsis.add(new Index(str(m.get("IndexName")), keySchema(m.get("KeySchema")),
          projection.get("ProjectionType") == null ? "ALL" : str(projection.get("ProjectionType")),
          strings(projection.get("NonKeyAttributes"))));
    }
    Map<String, Object> ttl = optMap(props.get("TimeToLiveSpecification"));
    String ttlAttribute = Boolean.TRUE.equals(ttl.get("Enabled")) ? str(ttl.get("AttributeName")) : null;
    String billing = props.get("BillingMode") == null ? "PROVISIONED" : str(props.get("BillingMode"));
    String streamViewType = str(optMap(props.get("StreamSpecification")).get("StreamViewType"));
    return new TableDef(id, attributes, keySchema(props.get("KeySchema")), gsis, billing, ttlAttribute, streamViewType);
  }

  private static UserPoolDef userPool(String id, Map<String, Object> props) {
    Map<String, Object> pp = optMap(optMap(props.get("Policies")).get("PasswordPolicy"));
    PasswordPolicy policy = pp.isEmpty() ? null : new PasswordPolicy(
        intOr(pp.get("MinimumLength"), 8),
        Boolean.TRUE.equals(pp.get("RequireLowercase")),
        Boolean.TRUE.equals(pp.get("RequireUppercase")),
        Boolean.TRUE.equals(pp.get("RequireNumbers")),
        Boolean.TRUE.equals(pp.get("RequireSymbols")));
    List<SchemaAttribute> schema = new ArrayList<>();
    for (Object s : list(props.get("Schema"))) {
      Map<String, Object> m = map(s, id + ".Schema");
      schema.add(new SchemaAttribute(str(m.get("Name")), str(m.get("AttributeDataType")),
          Boolean.TRUE.equals(m.get("Required")), !Boolean.FALSE.equals(m.get("Mutable"))));
    }
    Object caseSensitive = optMap(props.get("UsernameConfiguration")).get("CaseSensitive");
    return new UserPoolDef(id, props.get("UserPoolName"), strings(props.get("UsernameAttributes")),
        strings(props.get("AutoVerifiedAttributes")), caseSensitive instanceof Boolean b ? b : null, policy, schema);
  }

  private static List<KeyElement> keySchema(Object value) {
    List<KeyElement> keys = new ArrayList<>();
    for (Object k : list(value)) {
      Map<String, Object> m = map(k, "KeySchema");
      keys.add(new KeyElement(str(m.get("AttributeName")), str(m.get("KeyType"))));
    }
    return keys;
  }

  /** {@code !GetAtt Fn.Arn}, {@code !Ref Fn}, {@code !Ref Fn.Alias}, or a literal function name / ARN (also a queue's {@code !GetAtt Q.Arn}). */
  static String referencedFunction(Object target) {
    if (target instanceof Intrinsic i) {
      return switch (i.name()) {
        case "Fn::GetAtt" -> {
          String v = i.value() instanceof List<?> l ? String.valueOf(l.get(0)) : String.valueOf(i.value()).split("\\.", 2)[0];
          yield v;
        }
        // SAM's AutoPublishAlias: !Ref Fn.Alias (the alias ARN) and !Ref Fn.Version name the function too.
        case "Ref" -> String.valueOf(i.value()).split("\\.", 2)[0];
        default -> throw new IllegalArgumentException("unsupported trigger target " + i);
      };
    }
    String s = String.valueOf(target);
    int at = s.lastIndexOf(":function:");
    return at >= 0 ? s.substring(at + ":function:".length()).split(":")[0] : s;
  }

  // ------------------------------------------------------------------------------ queries

  public Function function(String logicalId) {
    Function f = functions.get(logicalId);
    if (f == null) throw new IllegalArgumentException("no function " + logicalId + " in template");
    return f;
  }

  /**
   * The environment of the ONE local JVM that hosts every function: the union of each function's
   * variables (Globals merged with its own), intrinsics resolved through {@code refs} (logical ids
   * such as the table and the user pool) and the parameters (default, or an override). Two
   * functions that need different values for one variable cannot share a JVM: that fails fast.
   */
  public Map<String, String> resolvedEnvironment(Map<String, String> refs, Map<String, String> parameterOverrides, String region) {
    Map<String, String> env = new TreeMap<>();
    Map<String, String> origin = new LinkedHashMap<>();
    for (Function f : functions.values()) {
      for (var e : f.environment().entrySet()) {
        String value = resolve(e.getValue(), refs, parameterOverrides, region);
        String previous = env.putIfAbsent(e.getKey(), value);
        if (previous != null && !previous.equals(value)) {
          throw new IllegalArgumentException("environment variable " + e.getKey() + " differs between "
              + origin.get(e.getKey()) + " and " + f.logicalId() + "; they share one local JVM");
        }
        origin.putIfAbsent(e.getKey(), f.logicalId());
      }
    }
    return env;
  }

  private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{([^}!]+)}");

  /** Resolves a value that may hold {@code Ref} and {@code Fn::Sub}; anything else fails fast. */
  public String resolve(Object value, Map<String, String> refs, Map<String, String> parameterOverrides, String region) {
    if (value == null) return "";
    if (!(value instanceof Intrinsic i)) return scalar(value);
    return switch (i.name()) {
      case "Ref" -> ref(String.valueOf(i.value()), refs, parameterOverrides, region);
      case "Fn::Sub" -> {
        if (!(i.value() instanceof String text)) throw new IllegalArgumentException("only the string form of !Sub is supported: " + i);
        Matcher m = SUB_VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
          m.appendReplacement(out, Matcher.quoteReplacement(ref(m.group(1).trim(), refs, parameterOverrides, region)));
        }
        m.appendTail(out);
        yield out.toString();
      }
      default -> throw new IllegalArgumentException("cannot resolve " + i.name() + " locally: " + i.value());
    };
  }

  private String ref(String name, Map<String, String> refs, Map<String, String> overrides, String region) {
    if (refs.containsKey(name)) return refs.get(name);
    if (overrides.containsKey(name)) return overrides.get(name);
    Parameter p = parameters.get(name);
    if (p != null) {
      if (p.defaultValue() == null) throw new IllegalArgumentException("parameter " + name + " has no Default; pass an override");
      return p.defaultValue();
    }
    return switch (name) {
      case "AWS::Region" -> region;
      case "AWS::AccountId" -> LocalAws.ACCOUNT_ID;
      case "AWS::StackName" -> "enterprise-admin-local";
      case "AWS::Partition" -> "aws";
      case "AWS::URLSuffix" -> "amazonaws.com";
      default -> throw new IllegalArgumentException("cannot resolve !Ref " + name + " locally");
    };
  }

  // ------------------------------------------------------------------------------ YAML helpers

  /** SnakeYAML constructor that keeps CloudFormation tags (and long forms) as {@link Intrinsic}s. */
  static final class CloudFormationConstructor extends SafeConstructor {
    CloudFormationConstructor() {
      super(new LoaderOptions());
      this.yamlConstructors.put(null, new AbstractConstruct() {
        @Override
        public Object construct(Node node) {
          String tag = node.getTag().getValue();
          if (!tag.startsWith("!")) throw new IllegalArgumentException("unexpected YAML tag " + tag);
          String name = tag.substring(1);
          if (!name.equals("Ref") && !name.equals("Condition")) name = "Fn::" + name;
          Object value;
          if (node instanceof ScalarNode s) {
            value = constructScalar(s);
            if (name.equals("Fn::GetAtt")) value = List.of(((String) value).split("\\.", 2));
          } else if (node instanceof SequenceNode s) {
            value = constructSequence(s);
          } else {
            value = constructMapping((MappingNode) node);
          }
          return new Intrinsic(name, value);
        }
      });
    }

    @Override
    protected Map<Object, Object> constructMapping(MappingNode node) {
      Map<Object, Object> m = super.constructMapping(node);
      if (m.size() == 1) {
        Object key = m.keySet().iterator().next();
        if (key instanceof String k && (k.equals("Ref") || k.startsWith("Fn::"))) {
          Map<Object, Object> wrapped = new LinkedHashMap<>();
          wrapped.put(INTRINSIC_KEY, new Intrinsic(k, m.get(k)));
          return wrapped;
        }
      }
      return m;
    }
  }

  private static final String INTRINSIC_KEY = "\u0000intrinsic";

  private static Object unwrap(Object value) {
    if (value instanceof Map<?, ?> m && m.size() == 1 && m.containsKey(INTRINSIC_KEY)) return m.get(INTRINSIC_KEY);
    return value;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value, String what) {
    if (!(value instanceof Map<?, ?> m)) throw new IllegalArgumentException(what + ": expected a mapping");
    Map<String, Object> out = new LinkedHashMap<>();
    m.forEach((k, v) -> out.put(String.valueOf(k), unwrap(v)));
    return out;
  }

  private static Map<String, Object> optMap(Object value) {
    return value == null ? Map.of() : map(value, "mapping");
  }

  private static List<?> list(Object value) {
    if (value == null) return List.of();
    if (value instanceof List<?> l) return l;
    throw new IllegalArgumentException("expected a list, got " + value);
  }

  private static List<String> strings(Object value) {
    return list(value).stream().map(Template::scalar).toList();
  }

  private static String str(Object value) {
    return value == null ? null : scalar(value);
  }

  private static String scalar(Object value) {
    if (value instanceof Intrinsic i) throw new IllegalArgumentException("expected a literal, got " + i);
    return String.valueOf(value);
  }

  private static int intOr(Object value, int fallback) {
    return value == null ? fallback : Integer.parseInt(String.valueOf(value));
  }

  private static Object firstNonNull(Object a, Object b) {
    return a != null ? a : b;
  }
}
