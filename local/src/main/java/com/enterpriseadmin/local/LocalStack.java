package com.enterpriseadmin.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AttributeDataType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.CreateUserPoolResponse;
import software.amazon.awssdk.services.cognitoidentityprovider.model.ExplicitAuthFlowsType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.SchemaAttributeType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UsernameAttributeType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.VerifiedAttributeType;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.CORSRule;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughput;

/**
 * The orchestrator of the local stack, used by {@code run-local} and by the integration tests:
 * starts moto (DynamoDB) and cognito-local (Cognito) on 127.0.0.1, creates the table and the user
 * pool + client from {@code template.yaml}, starts {@link LocalRuntime} in a child JVM whose
 * environment holds the functions' variables, then writes {@code <stateDir>/stack.json}.
 *
 * <p>State is reset at every start: moto keeps everything in memory, cognito-local gets a fresh
 * working directory ({@code <stateDir>/cognito}). Child output goes to {@code <stateDir>/logs}.
 * {@link #close()} (also run by a shutdown hook in {@link #main}) stops every child process.
 */
public final class LocalStack implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

  /**
   * Parameters the local stack runs with unless overridden ({@code --param}): administrators may top
   * up without limit locally (-1 = unlimited), where the deployed default is 0 (credits come from billing); a failed
   * webhook delivery is retried after 1 s, 2 s, 4 s ... (at most 30 s apart) instead of 30 s ... 1 h (docs/webhooks.md).
   */
  public static final Map<String, String> LOCAL_PARAMETERS = Map.of("SelfServiceTopUpAllowance", "-1",
      "WebhookRetryBaseSeconds", "1", "WebhookRetryMaxSeconds", "30",
      // moto serves S3 on 127.0.0.1:<port>: buckets are addressed by path, not by host name.
      "S3ForcePathStyle", "true");

  /**
   * Ports 0 pick free ports. {@code parameters} override the template's parameter defaults. {@code dynamodbFaults}:
   * null, or the runtime's {@code --dynamodb-faults} spec (test-only fault injection, {@link DynamoDbFaults}).
   */
  public record Options(
      Path root, Path stateDir, int apiPort, int invokePort, int cognitoPort, int motoPort,
      String region, Map<String, String> parameters, boolean schedules, boolean streams, String runtimeClasspath, Path webDir,
      String dynamodbFaults) {

    /** Free ports, a state dir of its own, schedules off (tests fire them on demand), streams on, no console, no faults. */
    public static Options forTests(Path root, Path stateDir) {
      return new Options(root, stateDir, 0, 0, 0, 0, "us-east-1", Map.of(), false, true, null, null, null);
    }

    /** The same options with these template parameters and this fault spec (null: none). */
    public Options with(Map<String, String> parameters, String dynamodbFaults) {
      return new Options(root, stateDir, apiPort, invokePort, cognitoPort, motoPort, region, parameters, schedules, streams, runtimeClasspath,
          webDir, dynamodbFaults);
    }

    /**
     * The same options with the table stream's event sources off (the runtime's {@code --streams off}): no
     * notifier, no integration events, and no stream reader polling moto. The benchmarks use it: the readers'
     * {@code GetRecords} calls would be counted as DynamoDB requests of the request path and queue behind it.
     */
    public Options withoutStreams() {
      return new Options(root, stateDir, apiPort, invokePort, cognitoPort, motoPort, region, parameters, schedules, false, runtimeClasspath,
          webDir, dynamodbFaults);
    }
  }

  /** What {@code stack.json} holds: everything a client needs, endpoint-agnostic. */
  public record Info(
      String apiUrl, String invokeUrl, String cognitoEndpoint, String userPoolId, String userPoolClientId,
      String dynamodbEndpoint, String tableName, String region, String sqsEndpoint) {}

  private record Child(String name, Process process, Path log) {}

  private final Options options;
  private final Path logs;
  private final List<Child> children = new ArrayList<>();
  private volatile boolean closing;
  private Info info;

  private LocalStack(Options options) {
    Map<String, String> parameters = new LinkedHashMap<>(LOCAL_PARAMETERS);
    parameters.putAll(options.parameters());
    this.options = options.with(Map.copyOf(parameters), options.dynamodbFaults());
    this.logs = options.stateDir().resolve("logs");
  }

  public Info info() {
    return info;
  }

  public static LocalStack start(Options options) throws Exception {
    LocalStack stack = new LocalStack(options);
    try {
      stack.boot();
      return stack;
    } catch (Exception | Error e) {
      stack.close();
      throw e;
    }
  }

  private void boot() throws Exception {
    Path root = options.root().toAbsolutePath().normalize();
    Template template = Template.load(root.resolve("template.yaml"));
    Path state = options.stateDir().toAbsolutePath().normalize();
    deleteRecursively(state);
    Files.createDirectories(logs);

    Set<Integer> taken = new HashSet<>();
    int motoPort = port(options.motoPort(), taken);
    int sqsPort = port(0, taken);
    int cognitoPort = port(options.cognitoPort(), taken);
    int apiPort = port(options.apiPort(), taken);
    int invokePort = port(options.invokePort(), taken);
    String host = "127.0.0.1";
    String motoUrl = "http://" + host + ":" + motoPort;
    String sqsUrl = "http://" + host + ":" + sqsPort;
    String cognitoUrl = "http://" + host + ":" + cognitoPort;
    String apiUrl = "http://" + host + ":" + apiPort;
    String invokeUrl = "http://" + host + ":" + invokePort;
    String region = options.region();

    // moto and cognito-local boot in parallel.
    Path python = root.resolve(".venv/emulators/bin/python");
    Path cognitoBin = root.resolve("local/cognito/node_modules/cognito-local/lib/bin/start.js");
    for (Path p : List.of(python, cognitoBin)) {
      if (!Files.exists(p)) throw new IllegalStateException(p + " is missing: run scripts/bootstrap.sh");
    }
    Child moto = spawn("moto", List.of(python.toString(), root.resolve("tools/moto_server.py").toString(),
        String.valueOf(motoPort), host), root, Map.of());
    // The template's queues live in a moto of their own: the queue pollers' steady ReceiveMessage calls never
    // wait for (or show up among) the table's requests, which one moto serves one at a time.
    // The template's buckets live there too (S3 on the same port, path-style): a presigned POST or GET of a
    // file never waits behind the table's requests either.
    Child motoSqs = template.queues().isEmpty() && template.buckets().isEmpty() ? null : spawn("moto-sqs", List.of(python.toString(),
        root.resolve("tools/moto_server.py").toString(), String.valueOf(sqsPort), host), root, Map.of());

    Path cognitoDir = state.resolve("cognito");
    Files.createDirectories(cognitoDir.resolve(".cognito"));
    Map<String, Object> cognitoConfig = new LinkedHashMap<>();
    cognitoConfig.put("LambdaClient", Map.of("endpoint", invokeUrl, "region", region,
        "credentials", Map.of("accessKeyId", LocalAws.ACCESS_KEY_ID, "secretAccessKey", LocalAws.SECRET_ACCESS_KEY)));
    cognitoConfig.put("TriggerFunctions", template.triggers());
    cognitoConfig.put("TokenConfig", Map.of("IssuerDomain", cognitoUrl));
    JSON.writeValue(cognitoDir.resolve(".cognito/config.json").toFile(), cognitoConfig);
    // Started through a tiny wrapper that exits once re-parented (no orphan if we are SIGKILLed).
    String wrapper = "const parent = process.ppid;"
        + "setInterval(() => { if (process.ppid !== parent) process.exit(0); }, 1000);"
        + "require(" + JSON.writeValueAsString(cognitoBin.toString()) + ");";
    Child cognito = spawn("cognito", List.of(nodeBinary(), "-e", wrapper), cognitoDir,
        Map.of("PORT", String.valueOf(cognitoPort), "HOST", host));

    awaitHttp(moto, motoUrl + "/moto-api/");
    if (motoSqs != null) awaitHttp(motoSqs, sqsUrl + "/moto-api/");
    awaitHttp(cognito, cognitoUrl + "/health");

    StaticCredentialsProvider credentials = StaticCredentialsProvider.create(
        AwsBasicCredentials.create(LocalAws.ACCESS_KEY_ID, LocalAws.SECRET_ACCESS_KEY));
    String tableName = tableName(template.table().logicalId());
    try (DynamoDbClient dynamo = DynamoDbClient.builder().endpointOverride(URI.create(motoUrl)).region(Region.of(region))
        .credentialsProvider(credentials).httpClient(UrlConnectionHttpClient.create()).build()) {
      createTable(dynamo, template.table(), tableName);
    }
    String poolId;
    String clientId;
    try (CognitoIdentityProviderClient idp = CognitoIdentityProviderClient.builder().endpointOverride(URI.create(cognitoUrl))
        .region(Region.of(region)).credentialsProvider(credentials).httpClient(UrlConnectionHttpClient.create()).build()) {
      poolId = createUserPool(idp, template);
      clientId = createClient(idp, template, poolId);
    }

    Map<String, String> refs = new LinkedHashMap<>();
    refs.put(template.table().logicalId(), tableName);
    if (template.userPool() != null) refs.put(template.userPool().logicalId(), poolId);
    if (template.client() != null) refs.put(template.client().logicalId(), clientId);
    if (motoSqs != null) {
      try (SqsClient sqs = SqsClient.builder().endpointOverride(URI.create(sqsUrl)).region(Region.of(region))
          .credentialsProvider(credentials).httpClient(UrlConnectionHttpClient.create()).build()) {
        refs.putAll(createQueues(sqs, template));
      }
      try (S3Client s3 = S3Client.builder().endpointOverride(URI.create(sqsUrl)).region(Region.of(region)).forcePathStyle(true)
          .credentialsProvider(credentials).httpClient(UrlConnectionHttpClient.create()).build()) {
        refs.putAll(createBuckets(s3, template, apiUrl));
      }
    }
    // The template's EventBridge buses, in the moto of the table (integration events; docs/events.md).
    List<String> buses = Template.eventBuses(root.resolve("template.yaml"));
    if (!buses.isEmpty()) {
      try (EventBridgeClient events = EventBridgeClient.builder().endpointOverride(URI.create(motoUrl)).region(Region.of(region))
          .credentialsProvider(credentials).httpClient(UrlConnectionHttpClient.create()).build()) {
        for (String bus : buses) {
          String name = "enterprise-admin-local-" + bus;
          events.createEventBus(b -> b.name(name));
          refs.put(bus, name);
        }
      }
    }
    // The links in e-mails lead to the console, which the API port serves locally (template parameter ConsoleUrl).
    Map<String, String> parameters = new LinkedHashMap<>(options.parameters());
    if (template.parameters().containsKey("ConsoleUrl")) parameters.putIfAbsent("ConsoleUrl", apiUrl);
    if (template.parameters().containsKey("EmailSender")) {
      verifySender(motoUrl, region, credentials, template.resolve(new Template.Intrinsic("Ref", "EmailSender"), Map.of(), parameters, region));
    }
    Map<String, String> env = new LinkedHashMap<>(template.resolvedEnvironment(refs, parameters, region));
    env.put("AWS_REGION", region);
    env.put("AWS_DEFAULT_REGION", region);
    env.put("AWS_ACCESS_KEY_ID", LocalAws.ACCESS_KEY_ID);
    env.put("AWS_SECRET_ACCESS_KEY", LocalAws.SECRET_ACCESS_KEY);
    env.put("AWS_ENDPOINT_URL", motoUrl);
    env.put("AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER", cognitoUrl);
    if (motoSqs != null) {
      env.put("AWS_ENDPOINT_URL_SQS", sqsUrl);
      env.put("AWS_ENDPOINT_URL_S3", sqsUrl);
    }

    String issuer = cognitoUrl + "/" + poolId;
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", runtimeClasspath(), LocalRuntime.class.getName(),
        "--template", root.resolve("template.yaml").toString(),
        "--host", host, "--api-port", String.valueOf(apiPort), "--invoke-port", String.valueOf(invokePort),
        "--region", region, "--jwks-url", issuer + "/.well-known/jwks.json", "--issuer", issuer,
        "--audience", clientId, "--schedules", options.schedules() ? "on" : "off", "--streams", options.streams() ? "on" : "off",
        "--exit-with-parent"));
    options.parameters().forEach((name, value) -> command.addAll(List.of("--param", name + "=" + value)));
    if (options.dynamodbFaults() != null) {
      DynamoDbFaults.Spec.parse(options.dynamodbFaults()); // a bad spec fails here, naming what is wrong
      command.addAll(List.of("--dynamodb-faults", options.dynamodbFaults()));
    }
    if (options.webDir() != null) {
      // The console's runtime configuration (the deploy script writes the same file from the stack's outputs).
      Path consoleConfig = state.resolve("console/config.json");
      Files.createDirectories(consoleConfig.getParent());
      Map<String, String> config = new LinkedHashMap<>();
      config.put("apiBaseUrl", "");
      config.put("region", region);
      config.put("userPoolId", poolId);
      config.put("userPoolClientId", clientId);
      config.put("cognitoEndpoint", cognitoUrl);
      // cognito-local implements no SRP: the console signs in with USER_PASSWORD_AUTH (see localAuthFlows).
      config.put("authFlow", "USER_PASSWORD_AUTH");
      JSON.writeValue(consoleConfig.toFile(), config);
      command.addAll(List.of("--web-dir", options.webDir().toAbsolutePath().normalize().toString(),
          "--web-config", consoleConfig.toString(), "--web-connect-src", cognitoUrl, "--web-asset-src", sqsUrl));
    }
    Child runtime = spawn("runtime", command, root, env);
    awaitHttp(runtime, invokeUrl + "/local/health");

    info = new Info(apiUrl, invokeUrl, cognitoUrl, poolId, clientId, motoUrl, tableName, region, motoSqs == null ? null : sqsUrl);
    JSON.writeValue(state.resolve("stack.json").toFile(), info);
  }

  // ------------------------------------------------------------------------------ resources

  /**
   * The template's client flows plus USER_PASSWORD_AUTH: cognito-local implements no SRP, so the local
   * client signs in with the password (the deployed client allows SRP and refresh only).
   */
  static List<ExplicitAuthFlowsType> localAuthFlows(List<String> templateFlows) {
    java.util.LinkedHashSet<String> flows = new java.util.LinkedHashSet<>(templateFlows);
    flows.add("ALLOW_USER_PASSWORD_AUTH");
    return flows.stream().map(ExplicitAuthFlowsType::fromValue).toList();
  }

  private static void createTable(DynamoDbClient dynamo, Template.TableDef def, String tableName) {
    boolean onDemand = "PAY_PER_REQUEST".equals(def.billingMode());
    ProvisionedThroughput throughput = ProvisionedThroughput.builder().readCapacityUnits(5L).writeCapacityUnits(5L).build();
    dynamo.createTable(b -> {
      b.tableName(tableName)
          .attributeDefinitions(def.attributeDefinitions().entrySet().stream()
              .map(e -> AttributeDefinition.builder().attributeName(e.getKey()).attributeType(e.getValue()).build()).toList())
          .keySchema(keys(def.keySchema()))
          .billingMode(def.billingMode());
      if (def.streamViewType() != null) b.streamSpecification(s -> s.streamEnabled(true).streamViewType(def.streamViewType()));
      if (!onDemand) b.provisionedThroughput(throughput);
      if (!def.globalSecondaryIndexes().isEmpty()) {
        b.globalSecondaryIndexes(def.globalSecondaryIndexes().stream().map(i -> {
          GlobalSecondaryIndex.Builder g = GlobalSecondaryIndex.builder().indexName(i.name()).keySchema(keys(i.keySchema()))
              .projection(Projection.builder().projectionType(i.projectionType())
                  .nonKeyAttributes(i.nonKeyAttributes().isEmpty() ? null : i.nonKeyAttributes()).build());
          if (!onDemand) g.provisionedThroughput(throughput);
          return g.build();
        }).toList());
      }
    });
    dynamo.waiter().waitUntilTableExists(b -> b.tableName(tableName));
    if (def.ttlAttribute() != null) {
      dynamo.updateTimeToLive(b -> b.tableName(tableName)
          .timeToLiveSpecification(t -> t.attributeName(def.ttlAttribute()).enabled(true)));
    }
  }

  /**
   * SES (moto, on the table's endpoint) sends only from a verified identity, as SES in its sandbox does: the
   * notifications' sender is verified at every start.
   */
  private static void verifySender(String motoUrl, String region, StaticCredentialsProvider credentials, String sender) {
    try (software.amazon.awssdk.services.sesv2.SesV2Client ses = software.amazon.awssdk.services.sesv2.SesV2Client.builder()
        .endpointOverride(URI.create(motoUrl)).region(Region.of(region)).credentialsProvider(credentials)
        .httpClient(UrlConnectionHttpClient.create()).build()) {
      ses.createEmailIdentity(b -> b.emailIdentity(sender));
    }
  }

  /** The table name of the template's table (the runtime's stream pollers find its stream by this name). */
  public static String tableName(String logicalId) {
    return "enterprise-admin-local-" + logicalId;
  }

  /** The queue name of a template queue (the runtime's pollers find it by this name). */
  public static String queueName(String logicalId) {
    return "enterprise-admin-local-" + logicalId;
  }

  /**
   * Creates the template's queues (dead-letter queues first), with their visibility timeout, retention and
   * redrive policy; returns logical id → queue URL (what {@code !Ref} of a queue gives).
   */
  private static Map<String, String> createQueues(SqsClient sqs, Template template) throws IOException {
    Map<String, String> urls = new LinkedHashMap<>();
    List<Template.QueueDef> ordered = new ArrayList<>(template.queues().values());
    ordered.sort(java.util.Comparator.comparing(q -> q.deadLetterQueueId() != null));
    for (Template.QueueDef q : ordered) {
      Map<QueueAttributeName, String> attributes = new LinkedHashMap<>();
      attributes.put(QueueAttributeName.VISIBILITY_TIMEOUT, String.valueOf(q.visibilityTimeoutSeconds()));
      attributes.put(QueueAttributeName.MESSAGE_RETENTION_PERIOD, String.valueOf(q.messageRetentionSeconds()));
      if (q.deadLetterQueueId() != null) {
        String dlqArn = sqs.getQueueAttributes(b -> b.queueUrl(urls.get(q.deadLetterQueueId())).attributeNames(QueueAttributeName.QUEUE_ARN))
            .attributes().get(QueueAttributeName.QUEUE_ARN);
        attributes.put(QueueAttributeName.REDRIVE_POLICY,
            JSON.writeValueAsString(Map.of("deadLetterTargetArn", dlqArn, "maxReceiveCount", q.maxReceiveCount())));
      }
      urls.put(q.logicalId(), sqs.createQueue(b -> b.queueName(queueName(q.logicalId())).attributes(attributes)).queueUrl());
    }
    return urls;
  }

  /**
   * Creates the template's buckets (its {@code BucketName}, resolved, or {@code enterprise-admin-local-<logical id>}),
   * versioned as the template says; a bucket with CORS rules allows the local console's origin (the API port), as
   * the template allows the CloudFront distribution's. Returns logical id → bucket name (what {@code !Ref} gives).
   */
  private Map<String, String> createBuckets(S3Client s3, Template template, String consoleOrigin) {
    Map<String, String> names = new LinkedHashMap<>();
    for (Template.BucketDef b : template.buckets().values()) {
      String name = b.bucketName() == null ? "enterprise-admin-local-" + b.logicalId().toLowerCase(java.util.Locale.ROOT)
          : template.resolve(b.bucketName(), Map.of(), options.parameters(), options.region());
      s3.createBucket(r -> r.bucket(name));
      if (b.versioned()) {
        s3.putBucketVersioning(r -> r.bucket(name).versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
      }
      if (b.cors()) {
        s3.putBucketCors(r -> r.bucket(name).corsConfiguration(c -> c.corsRules(CORSRule.builder()
            .allowedOrigins(consoleOrigin).allowedMethods("POST", "GET", "HEAD").allowedHeaders("*").exposeHeaders("ETag").maxAgeSeconds(3000)
            .build())));
      }
      names.put(b.logicalId(), name);
    }
    return names;
  }

  private static List<KeySchemaElement> keys(List<Template.KeyElement> keys) {
    return keys.stream().map(k -> KeySchemaElement.builder().attributeName(k.attributeName()).keyType(k.keyType()).build()).toList();
  }

  private String createUserPool(CognitoIdentityProviderClient idp, Template template) {
    Template.UserPoolDef def = template.userPool();
    if (def == null) throw new IllegalStateException("template has no AWS::Cognito::UserPool");
    String name = def.poolName() == null ? "local" : template.resolve(def.poolName(), Map.of(), options.parameters(), options.region());
    CreateUserPoolResponse created = idp.createUserPool(b -> {
      b.poolName(name);
      if (!def.usernameAttributes().isEmpty()) {
        b.usernameAttributes(def.usernameAttributes().stream().map(UsernameAttributeType::fromValue).toList());
      }
      if (!def.autoVerifiedAttributes().isEmpty()) {
        b.autoVerifiedAttributes(def.autoVerifiedAttributes().stream().map(VerifiedAttributeType::fromValue).toList());
      }
      if (def.usernameCaseSensitive() != null) {
        b.usernameConfiguration(u -> u.caseSensitive(def.usernameCaseSensitive()));
      }
      if (def.passwordPolicy() != null) {
        Template.PasswordPolicy p = def.passwordPolicy();
        b.policies(pol -> pol.passwordPolicy(pp -> pp.minimumLength(p.minimumLength()).requireLowercase(p.requireLowercase())
            .requireUppercase(p.requireUppercase()).requireNumbers(p.requireNumbers()).requireSymbols(p.requireSymbols())));
      }
      if (!def.schema().isEmpty()) {
        b.schema(def.schema().stream().map(s -> SchemaAttributeType.builder().name(s.name())
            .attributeDataType(AttributeDataType.fromValue(s.dataType())).required(s.required()).mutable(s.mutable()).build()).toList());
      }
    });
    return created.userPool().id();
  }

  private String createClient(CognitoIdentityProviderClient idp, Template template, String poolId) {
    Template.ClientDef def = template.client();
    if (def == null) throw new IllegalStateException("template has no AWS::Cognito::UserPoolClient");
    String name = def.clientName() == null ? "local" : template.resolve(def.clientName(), Map.of(), options.parameters(), options.region());
    return idp.createUserPoolClient(b -> b.userPoolId(poolId).clientName(name).generateSecret(def.generateSecret())
            .explicitAuthFlows(localAuthFlows(def.explicitAuthFlows())))
        .userPoolClient().clientId();
  }

  // ------------------------------------------------------------------------------ processes

  private Child spawn(String name, List<String> command, Path cwd, Map<String, String> env) throws IOException {
    Path log = logs.resolve(name + ".log");
    ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile()).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    // No credentials, profile or endpoint of the developer's leak into the emulators or handlers.
    pb.environment().keySet().removeIf(k -> k.startsWith("AWS_") || k.equals("JAVA_TOOL_OPTIONS"));
    pb.environment().putAll(env);
    Process process = pb.start();
    Child child = new Child(name, process, log);
    synchronized (children) {
      children.add(child);
    }
    return child;
  }

  private static final HttpClient PROBE = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  /** Waits until {@code url} answers at all (any status for the emulators, 200 for the runtime). */
  private void awaitHttp(Child child, String url) {
    boolean needOk = child.name().equals("runtime");
    await(child, () -> {
      try {
        HttpResponse<Void> r = PROBE.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).GET().build(),
            HttpResponse.BodyHandlers.discarding());
        return !needOk || r.statusCode() == 200;
      } catch (IOException e) {
        return false;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    });
  }

  private void await(Child child, BooleanSupplier ready) {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!child.process().isAlive()) {
        throw new IllegalStateException(child.name() + " exited with " + child.process().exitValue()
            + " while starting; " + child.log() + " ends with:\n" + tail(child.log()));
      }
      if (ready.getAsBoolean()) return;
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    throw new IllegalStateException(child.name() + " did not answer within " + START_TIMEOUT.toSeconds() + " s; "
        + child.log() + " ends with:\n" + tail(child.log()));
  }

  static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /** Stops every child (youngest first) and its descendants: destroy, then destroyForcibly. */
  @Override
  public void close() {
    closing = true;
    List<Child> all;
    synchronized (children) {
      all = new ArrayList<>(children);
      children.clear();
    }
    List<ProcessHandle> handles = new ArrayList<>();
    for (int i = all.size() - 1; i >= 0; i--) {
      Process p = all.get(i).process();
      List<ProcessHandle> tree = new ArrayList<>(p.descendants().toList());
      tree.add(p.toHandle());
      tree.forEach(ProcessHandle::destroy);
      handles.addAll(tree);
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    for (ProcessHandle h : handles) {
      long left = deadline - System.nanoTime();
      try {
        if (left > 0) h.onExit().get(left, TimeUnit.NANOSECONDS);
      } catch (Exception e) {
        // forced below
      }
      if (h.isAlive()) h.destroyForcibly();
    }
  }

  // ------------------------------------------------------------------------------ helpers

  private static int port(int wanted, Set<Integer> taken) throws IOException {
    if (wanted != 0) {
      taken.add(wanted);
      return wanted;
    }
    while (true) {
      try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
        if (taken.add(s.getLocalPort())) return s.getLocalPort();
      }
    }
  }

  private static String nodeBinary() {
    String node = System.getenv("NODE");
    return node != null && !node.isBlank() ? node : "node";
  }

  /**
   * The classpath of this JVM, for the runtime child. Under surefire/failsafe that may be one
   * "manifest-only" jar whose Class-Path lists the real entries: those are expanded.
   */
  private String runtimeClasspath() throws IOException {
    if (options.runtimeClasspath() != null) return options.runtimeClasspath();
    String cp = System.getProperty("java.class.path");
    String[] entries = cp.split(File.pathSeparator);
    if (entries.length == 1 && entries[0].endsWith(".jar")) {
      try (JarFile jar = new JarFile(entries[0])) {
        String manifestCp = jar.getManifest() == null ? null : jar.getManifest().getMainAttributes().getValue("Class-Path");
        if (manifestCp != null) {
          List<String> expanded = new ArrayList<>();
          URI base = Path.of(entries[0]).toUri();
          for (String e : manifestCp.trim().split("\\s+")) expanded.add(Path.of(base.resolve(e)).toString());
          return String.join(File.pathSeparator, expanded);
        }
      }
    }
    return cp;
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) return;
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.delete(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
  }

  // ------------------------------------------------------------------------------ main

  /**
   * {@code LocalStack [--root DIR] [--state-dir .local] [--api-port 3000] [--invoke-port 3001]
   * [--cognito-port 9229] [--moto-port 4566] [--region us-east-1] [--schedules on|off] [--streams on|off]
   * [--param Name=Value]... [--web-dir web/dist] [--dynamodb-faults seed=1,throttle=0.05,...]}: starts
   * everything, prints stack.json, runs until Ctrl-C / SIGTERM. With {@code --web-dir} the API port also
   * serves the built console; with {@code --dynamodb-faults} the functions' DynamoDB calls meet injected
   * faults ({@link DynamoDbFaults}; counts at the invoke port's {@code /local/dynamodb-faults}).
   */
  public static void main(String[] args) throws Exception {
    Map<String, String> opts = new LinkedHashMap<>();
    Map<String, String> params = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (!a.startsWith("--") || i + 1 >= args.length) throw new IllegalArgumentException("usage: see LocalStack javadoc; bad argument " + a);
      String v = args[++i];
      if (a.equals("--param")) {
        String[] kv = v.split("=", 2);
        params.put(kv[0], kv.length > 1 ? kv[1] : "");
      } else {
        opts.put(a.substring(2), v);
      }
    }
    Path root = Path.of(opts.getOrDefault("root", ".")).toAbsolutePath().normalize();
    Options options = new Options(root, root.resolve(opts.getOrDefault("state-dir", ".local")),
        Integer.parseInt(opts.getOrDefault("api-port", "3000")), Integer.parseInt(opts.getOrDefault("invoke-port", "3001")),
        Integer.parseInt(opts.getOrDefault("cognito-port", "9229")), Integer.parseInt(opts.getOrDefault("moto-port", "4566")),
        opts.getOrDefault("region", "us-east-1"), params, !"off".equals(opts.getOrDefault("schedules", "on")),
        !"off".equals(opts.getOrDefault("streams", "on")), null,
        opts.containsKey("web-dir") ? root.resolve(opts.get("web-dir")) : null, opts.get("dynamodb-faults"));

    LocalStack stack;
    try {
      stack = start(options);
    } catch (Exception e) {
      System.err.println("local stack failed to start: " + e.getMessage());
      System.exit(1);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(stack::close, "local-stack-stop"));
    System.out.println(JSON.writeValueAsString(stack.info()));
    if (options.webDir() != null) {
      System.out.println("web console: " + stack.info().apiUrl() + "/"
          + (Files.isRegularFile(options.webDir().resolve("index.html")) ? "" : " (not built yet: " + options.webDir() + " has no index.html)"));
    }
    System.out.println("wrote " + options.stateDir().resolve("stack.json") + "; logs in " + stack.logs
        + " (tail -f " + stack.logs.resolve("runtime.log") + "); Ctrl-C stops everything");
    System.out.flush();

    List<Child> watched;
    synchronized (stack.children) {
      watched = new ArrayList<>(stack.children);
    }
    CompletableFuture.anyOf(watched.stream().map(c -> c.process().onExit()).toArray(CompletableFuture[]::new)).join();
    Thread.sleep(500); // a Ctrl-C reaches the children too: let the shutdown hook say so first
    if (stack.closing) return;
    for (Child c : watched) {
      if (!c.process().isAlive()) {
        System.err.println(c.name() + " stopped (exit " + c.process().exitValue() + "); " + c.log() + " ends with:\n" + tail(c.log()));
      }
    }
    System.exit(1);
  }
}
