package com.enterpriseadmin.bench;

import com.enterpriseadmin.config.Priming;
import com.enterpriseadmin.local.Template;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Lambda cold starts, approximated by a FRESH JVM per sample running {@link ColdStartProbe} with
 * only the deployment artifact on the classpath (the functions jar and its runtime dependencies,
 * what {@code sam build} puts in each function's folder) and the environment the template gives
 * the function (resolved like the local runtime does), pointed at a local stack of its own.
 *
 * <p>{@code ColdStartBench --functions-classpath FILE [--functions-jar JAR] [--samples 5] [--modes defaults,template,serialgc,appcds,noverify,primed1,primed]
 * [--out bench/results/coldstart.md]}
 * where FILE is {@code mvn dependency:build-classpath -DincludeScope=runtime} of functions/.
 */
public final class ColdStartBench {

  /** A function under test: its template logical id (or the hello world's name) and its answer's status (-1: a trigger). */
  private record Subject(String logicalId, int expectedStatus) {
    boolean helloWorld() { return logicalId.equals(HELLO_WORLD); }
  }

  /**
   * A JVM configuration: {@code options} are the JAVA_TOOL_OPTIONS (null: none, the JVM's defaults), with
   * {@code %ARCHIVE%} standing for the subject's AppCDS archive; {@code primingRounds} > 0: the SnapStart priming runs (that many times)
   * after INIT, before the first invocation.
   */
  private record Mode(String key, String label, String options, int primingRounds) {
    boolean primed() { return primingRounds > 0; }

    boolean appCds() { return options != null && options.contains(ARCHIVE); }

    String options(Path archive, Path classLog) {
      return options == null ? null : options.replace(ARCHIVE, archive.toString()).replace(CLASS_LOG, classLog.toString());
    }

    boolean tracesClasses() { return options != null && options.contains(CLASS_LOG); }
  }

  /** {@code firstClasses}: in the {@code primedtrace} mode, the classes the JVM loaded during the first invocation (else empty). */
  private record Sample(double bootMs, double initMs, double spawnToInitMs, double primingMs, double invoke1Ms, double warmMs,
                        double hwmMb, double wallMs, List<String> firstClasses) {
    double initPlusFirstMs() { return initMs + invoke1Ms; }
  }

  private static final String HELLO_WORLD = "HelloWorld";
  private static final String ARCHIVE = "%ARCHIVE%";
  private static final String CLASS_LOG = "%CLASSLOG%";
  /** Invocations per sample: the first (cold) and WARM_INVOCATIONS more, whose median is the warm invocation. */
  private static final int WARM_INVOCATIONS = 4;

  private static final List<String> FORBIDDEN = List.of("apache-client", "netty", "httpclient");

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = ConsumptionBench.options(args);
    int samples = Integer.parseInt(opts.getOrDefault("samples", "5"));
    List<String> machine = Report.machine();
    machine.forEach(System.out::println);
    Path root = BenchStack.repositoryRoot();
    Path out = root.resolve(opts.getOrDefault("out", "bench/results/coldstart.md"));
    Path functionsJar = root.resolve(opts.getOrDefault("functions-jar", "functions/target/functions-1.0.0-SNAPSHOT.jar"));
    String cpFile = opts.get("functions-classpath");
    if (cpFile == null) throw new IllegalArgumentException("--functions-classpath FILE is required (see bench/run.sh)");
    List<Path> deps = new ArrayList<>();
    for (String e : Files.readString(root.resolve(cpFile)).trim().split(File.pathSeparator)) {
      if (!e.isBlank()) deps.add(Path.of(e));
    }
    for (Path d : deps) {
      String n = d.getFileName().toString();
      if (n.startsWith("junit-") || n.startsWith("opentest4j") || n.startsWith("apiguardian")) {
        throw new IllegalArgumentException(cpFile + " holds test-scope jars (" + n + "): build it with -DincludeScope=runtime");
      }
    }
    if (!Files.exists(functionsJar)) throw new IllegalStateException(functionsJar + " is missing: build functions first");

    // ------------------------------------------------------------------ the artifact
    StringBuilder artifact = new StringBuilder();
    List<Path> jars = new ArrayList<>(deps);
    jars.add(0, functionsJar);
    long total = 0;
    List<String> forbidden = new ArrayList<>();
    List<Map.Entry<String, Long>> sizes = new ArrayList<>();
    for (Path j : jars) {
      long size = Files.size(j);
      total += size;
      String name = j.getFileName().toString();
      sizes.add(Map.entry(name, size));
      for (String f : FORBIDDEN) if (name.toLowerCase(Locale.ROOT).contains(f)) forbidden.add(name);
    }
    sizes.sort((a, b) -> Long.compare(b.getValue(), a.getValue()));
    artifact.append("## Deployment artifact\n\n")
        .append("The functions jar + its runtime dependency jars (what `sam build` copies into each function's folder: the\n")
        .append("classes and `lib/*.jar`): **").append(jars.size()).append(" jars, ").append(Report.f2(total / 1048576.0))
        .append(" MB** (uncompressed jar bytes; the zip Lambda receives is about the same, jars are already compressed).\n\n")
        .append(forbidden.isEmpty()
            ? "Check: no `apache-client`, `netty` or `httpclient` jar among them (the SDK uses `url-connection-client`). **OK**\n\n"
            : "Check FAILED: forbidden HTTP client jars present: " + forbidden + "\n\n")
        .append("| largest jars | MB |\n|---|---:|\n");
    for (int i = 0; i < Math.min(10, sizes.size()); i++) {
      artifact.append("| ").append(sizes.get(i).getKey()).append(" | ").append(Report.f2(sizes.get(i).getValue() / 1048576.0)).append(" |\n");
    }
    artifact.append("| (").append(Math.max(0, sizes.size() - 10)).append(" more) | ")
        .append(Report.f2(sizes.stream().skip(10).mapToLong(Map.Entry::getValue).sum() / 1048576.0)).append(" |\n");
    System.out.println(artifact);
    if (!forbidden.isEmpty()) {
      System.err.println("FORBIDDEN HTTP client jars in the artifact: " + forbidden);
    }

    // ------------------------------------------------------------------ the probe's classpath
    Path work = root.resolve("bench/target/coldstart");
    Path probeJar = work.resolve("probe.jar");
    extractProbe(probeJar);
    StringBuilder cp = new StringBuilder(probeJar.toString());
    for (Path j : jars) cp.append(File.pathSeparator).append(j);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    // ------------------------------------------------------------------ a stack and real identities
    BenchStack stack = BenchStack.start("coldstart");
    try {
      BenchStack.Org org = stack.org();
      stack.topUp(org, 1_000_000_000L);
      String team = stack.team(org, Map.of("mode", "SHARED_POOL"));
      BenchStack.Person member = stack.member(org, "USER");
      stack.addToTeam(org, team, member);

      Template template = Template.load(root.resolve("template.yaml"));
      Map<String, String> refs = new LinkedHashMap<>();
      refs.put(template.table().logicalId(), stack.info.tableName());
      refs.put(template.userPool().logicalId(), stack.info.userPoolId());
      refs.put(template.client().logicalId(), stack.info.userPoolClientId());

      List<Subject> subjects = List.of(
          new Subject(HELLO_WORLD, -1),
          new Subject("GetMeFunction", 200),
          new Subject("ConsumeCreditsFunction", 201),
          new Subject("PreSignUpFunction", -1),
          new Subject("PostConfirmationFunction", -1));
      String tmpl = template.function("GetMeFunction").environment().get("JAVA_TOOL_OPTIONS").toString();
      List<Mode> all = List.of(
          new Mode("defaults", "JVM defaults", null, 0),
          new Mode("template", "`" + tmpl + "` (template)", tmpl, 0),
          new Mode("serialgc", "template + `-XX:+UseSerialGC`", tmpl + " -XX:+UseSerialGC", 0),
          new Mode("appcds", "template + AppCDS (`-XX:SharedArchiveFile`, the function's archive)", tmpl + " -XX:SharedArchiveFile=" + ARCHIVE, 0),
          new Mode("noverify", "template + no bytecode verification of our jars (`-XX:-BytecodeVerificationRemote`)",
              tmpl + " -XX:+UnlockDiagnosticVMOptions -XX:-BytecodeVerificationRemote", 0),
          new Mode("primed1", "template, **primed once** after INIT", tmpl, 1),
          new Mode("primed", "template, **primed " + Priming.ROUNDS + " times** after INIT (SnapStart's checkpoint)", tmpl, Priming.ROUNDS),
          // Not in the default set: what the first invocation after priming still loads (-Xlog class+load, uptime in ms).
          new Mode("primedtrace", "template, primed " + Priming.ROUNDS + " times, class loading logged", tmpl
              + " -Xlog:class+load=info:file=" + CLASS_LOG + ":uptimemillis", Priming.ROUNDS));
      List<String> keys = List.of(opts.getOrDefault("modes", "defaults,template,serialgc,appcds,primed1,primed").split(","));
      List<Mode> modes = all.stream().filter(m -> keys.contains(m.key())).toList();
      Path archives = Files.createDirectories(work.resolve("appcds"));
      Path events = Files.createDirectories(work.resolve("events"));

      // AppCDS: one training run per function (template options, the same events) dumps its archive at exit.
      Mode training = new Mode("training", "training", tmpl + " -XX:ArchiveClassesAtExit=" + ARCHIVE, 0);
      if (modes.stream().anyMatch(Mode::appCds)) {
        for (Subject subject : subjects) {
          Path archive = archives.resolve(subject.logicalId() + ".jsa");
          Files.deleteIfExists(archive);
          run(java, cp.toString(), template, refs, stack, root, org, team, member, subject, training, archive, events, work, "train");
          System.out.printf(Locale.ROOT, "%-26s AppCDS archive %.1f MB%n", subject.logicalId(), Files.size(archive) / 1048576.0);
        }
      }

      Map<String, List<Sample>> results = new LinkedHashMap<>();
      // Round robin (sample-major) so that any background load spreads over every cell alike.
      for (int s = 0; s < samples; s++) {
        for (Subject subject : subjects) {
          for (Mode mode : modes) {
            if (mode.primed() && subject.helloWorld()) continue; // nothing of ours to prime
            Path archive = archives.resolve(subject.logicalId() + ".jsa");
            Sample sample = run(java, cp.toString(), template, refs, stack, root, org, team, member, subject, mode, archive, events, work,
                String.valueOf(s));
            results.computeIfAbsent(subject.logicalId() + "|" + mode.key(), k -> new ArrayList<>()).add(sample);
            System.out.printf(Locale.ROOT, "%-26s %-9s boot %6.1f  init %6.1f  priming %6.1f  1st %7.1f  warm %6.1f ms  HWM %5.0f MB%n",
                subject.logicalId(), mode.key(), sample.bootMs(), sample.initMs(), sample.primingMs(), sample.invoke1Ms(), sample.warmMs(),
                sample.hwmMb());
          }
        }
      }

      StringBuilder md = new StringBuilder();
      md.append("# Cold-start benchmark\n\n")
          .append("One FRESH JVM per sample runs `ColdStartProbe`: construct the handler (Lambda INIT), invoke it with a real\n")
          .append("event that succeeds (claims of a user/org/team made through the API in the set-up), then ").append(WARM_INVOCATIONS)
          .append(" more times (warm).\n")
          .append("Classpath: only the functions jar + its runtime dependencies (+ the probe and the hello world). Environment: the\n")
          .append("function's variables from `template.yaml` (TABLE_NAME, ...), `AWS_ENDPOINT_URL` = this run's moto, dummy\n")
          .append("credentials, `AWS_REGION`. Generated by `ColdStartBench`; see `bench/README.md`.\n\n");
      md.append(String.join("\n", machine)).append("\n");
      md.append(Report.atEnd()).append("\n");
      md.append("- command: `").append(ConsumptionBench.command("ColdStartBench", opts)).append("`\n");
      md.append("- samples: ").append(samples).append(" per cell (interleaved); figures are **median / max** in ms, peak RSS in MB; ")
          .append("ratios are of the medians\n\n");
      md.append("| function | JVM options | JVM boot (spawn → main) | INIT (JVM start → handler constructed) | priming | 1st invocation | warm invocation (median of ")
          .append(WARM_INVOCATIONS).append(") | INIT + 1st | INIT + 1st ÷ hello world's (same options) | 1st ÷ warm | peak RSS (VmHWM) |\n")
          .append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
      for (Subject subject : subjects) {
        for (Mode mode : modes) {
          List<Sample> list = results.get(subject.logicalId() + "|" + mode.key());
          if (list == null) continue;
          List<Sample> hello = results.get(HELLO_WORLD + "|" + mode.key());
          double initFirst = Report.median(list.stream().map(Sample::initPlusFirstMs).toList());
          String vsHello = hello == null || subject.helloWorld() ? "—"
              : Report.f1(initFirst / Report.median(hello.stream().map(Sample::initPlusFirstMs).toList())) + "×";
          double first = Report.median(list.stream().map(Sample::invoke1Ms).toList());
          double warm = Report.median(list.stream().map(Sample::warmMs).toList());
          md.append("| ").append(subject.helloWorld() ? "hello world" : subject.logicalId().replace("Function", "")).append(" | ").append(mode.label())
              .append(" | ").append(mm(list, Sample::bootMs)).append(" | ").append(mm(list, Sample::initMs))
              .append(" | ").append(mode.primed() ? mm(list, Sample::primingMs) : "—")
              .append(" | ").append(mm(list, Sample::invoke1Ms)).append(" | ").append(mm(list, Sample::warmMs))
              .append(" | ").append(mm(list, Sample::initPlusFirstMs)).append(" | ").append(vsHello)
              // The hello world's warm invocation rounds to 0 ms: no ratio to speak of.
              .append(" | ").append(subject.helloWorld() ? "—" : Report.f1(first / warm) + "×")
              .append(" | ").append(mm(list, Sample::hwmMb)).append(" |\n");
        }
      }
      for (Subject subject : subjects) {
        List<Sample> traced = results.get(subject.logicalId() + "|primedtrace");
        if (traced == null) continue;
        List<String> classes = traced.get(0).firstClasses();
        Map<String, Integer> byPackage = new java.util.TreeMap<>();
        for (String c : classes) {
          String pkg = c.contains(".") ? c.substring(0, c.lastIndexOf('.')) : "";
          byPackage.merge(pkg.replaceAll("\\$.*", ""), 1, Integer::sum);
        }
        md.append("\n**").append(subject.logicalId().replace("Function", "")).append("**: the first invocation after priming ")
            .append(Priming.ROUNDS).append(" times loaded ").append(classes.size()).append(" classes (median of the samples: ")
            .append(Report.f1(Report.median(traced.stream().map(t -> (double) t.firstClasses().size()).toList())))
            .append("); by package, the first sample's:\n\n| package | classes | e.g. |\n|---|---:|---|\n");
        byPackage.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).forEach(e -> md.append("| `")
            .append(e.getKey()).append("` | ").append(e.getValue()).append(" | `").append(classes.stream()
                .filter(c -> c.startsWith(e.getKey() + ".")).findFirst().map(c -> c.substring(c.lastIndexOf('.') + 1)).orElse(""))
            .append("` |\n"));
      }
      md.append("\nJVM boot = from our `ProcessBuilder.start()` to the probe's `main` (process exec + JVM creation); INIT =\n")
          .append("`RuntimeMXBean.getStartTime()` to the handler constructed (class loading, `Wiring`; the handlers that use the\n")
          .append("table build the DynamoDB client here, through `Wiring.db()`, PreSignUp builds none); the 1st invocation pays\n")
          .append("the SDK's first request (marshallers, endpoint rules, signer, HTTP connection) and the JIT-cold code path.\n")
          .append("**primed**: after INIT the probe runs the SnapStart priming the handler registered (`Wiring.prime(rounds)`: the\n")
          .append("checkpoint runs it `Priming.ROUNDS` times before Lambda takes the snapshot), then the invocations: the 1st is what a restored\n")
          .append("SnapStart environment pays besides the restore itself, which cannot be measured here (no CRaC/Firecracker\n")
          .append("snapshot on this machine; AWS documents restores of a few hundred ms). **AppCDS**: a training run per function\n")
          .append("(`-XX:ArchiveClassesAtExit`, same events) dumps the archive that run's samples map (`-XX:SharedArchiveFile`).\n")
          .append("Lambda's own runtime client and its sandbox are not part of this; the JDK is the one above, not Lambda's java21.\n")
          .append("moto is a single-threaded in-memory emulator: invocation times include it.\n\n");
      md.append(artifact);
      Report.write(out, md.toString());
      System.out.println(md);
      System.out.println("wrote " + out);
      if (!forbidden.isEmpty()) System.exit(1);
    } finally {
      stack.close();
    }
  }

  private static String mm(List<Sample> list, java.util.function.ToDoubleFunction<Sample> f) {
    List<Double> v = list.stream().map(f::applyAsDouble).toList();
    return Report.f1(Report.median(v)) + " / " + Report.f1(Report.max(v));
  }

  /** One fresh JVM for one subject in one mode: its events (1 + WARM_INVOCATIONS), its environment, the probe. */
  private static Sample run(String java, String cp, Template template, Map<String, String> refs, BenchStack stack, Path root,
                            BenchStack.Org org, String team, BenchStack.Person member, Subject subject, Mode mode, Path archive,
                            Path events, Path work, String sampleTag) throws Exception {
    Map<String, String> env = new LinkedHashMap<>();
    String handlerClass;
    if (subject.helloWorld()) {
      handlerClass = HelloWorldHandler.class.getName();
    } else {
      Template.Function fn = template.function(subject.logicalId());
      handlerClass = fn.handlerClass();
      for (var e : fn.environment().entrySet()) env.put(e.getKey(), template.resolve(e.getValue(), refs, Map.of(), stack.info.region()));
      env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", String.valueOf(fn.memoryMb()));
    }
    env.remove("JAVA_TOOL_OPTIONS");
    Path classLog = work.resolve("classload").resolve(subject.logicalId() + "-" + sampleTag + "-" + mode.key() + ".log");
    if (mode.tracesClasses()) Files.createDirectories(classLog.getParent());
    String options = mode.options(archive, classLog);
    if (options != null) env.put("JAVA_TOOL_OPTIONS", options);
    env.put("AWS_REGION", stack.info.region());
    env.put("AWS_DEFAULT_REGION", stack.info.region());
    env.put("AWS_ACCESS_KEY_ID", "local");
    env.put("AWS_SECRET_ACCESS_KEY", "local");
    env.put("AWS_ENDPOINT_URL", stack.info.dynamodbEndpoint());
    env.put("AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER", stack.info.cognitoEndpoint());
    env.put("AWS_LAMBDA_FUNCTION_NAME", subject.logicalId());

    String tag = subject.logicalId() + "-" + sampleTag + "-" + mode.key();
    List<String> command = new ArrayList<>(List.of(java, "-cp", cp, ColdStartProbe.class.getName()));
    if (mode.primed()) command.addAll(List.of("--primed", String.valueOf(mode.primingRounds())));
    command.add(handlerClass);
    for (int i = 0; i <= WARM_INVOCATIONS; i++) {
      Path e = events.resolve(tag + "-" + (i + 1) + ".json");
      Files.writeString(e, subject.helloWorld() ? "{\"hello\": \"world\"}" : event(root, subject.logicalId(), stack, org, team, member));
      command.add(e.toString());
    }
    return probe(command, env, subject, work.resolve("logs").resolve(tag + ".log"), mode.tracesClasses() ? classLog : null);
  }

  private static Sample probe(List<String> command, Map<String, String> env, Subject subject, Path log, Path classLog) throws Exception {
    Files.createDirectories(log.getParent());
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("AWS_") || k.equals("JAVA_TOOL_OPTIONS") || k.equals("CLASSPATH"));
    pb.environment().putAll(env);
    long spawnMs = System.currentTimeMillis();
    long t0 = System.nanoTime();
    Process p = pb.start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException(subject.logicalId() + " probe timed out; see " + log);
    }
    double wallMs = (System.nanoTime() - t0) / 1e6;
    String text = Files.readString(log);
    if (p.exitValue() != 0) throw new IllegalStateException(subject.logicalId() + " probe failed (exit " + p.exitValue() + "); see " + log + ":\n" + text);
    Map<String, String> m = new LinkedHashMap<>();
    List<String> responses = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.startsWith("COLDSTART ")) {
        for (String kv : line.substring(10).trim().split(" ")) {
          String[] parts = kv.split("=", 2);
          m.put(parts[0], parts[1]);
        }
      } else if (line.startsWith("RESPONSE")) {
        responses.add(new String(Base64.getDecoder().decode(line.substring(line.indexOf(' ') + 1).trim()), StandardCharsets.UTF_8));
      }
    }
    if (m.isEmpty() || responses.size() != WARM_INVOCATIONS + 1) throw new IllegalStateException("no probe output in " + log + ":\n" + text);
    for (String r : responses) {
      if (subject.expectedStatus() > 0) {
        int status = BenchStack.JSON.readTree(r).path("statusCode").asInt();
        if (status != subject.expectedStatus()) {
          throw new IllegalStateException(subject.logicalId() + " answered " + status + " (expected " + subject.expectedStatus() + "): " + r);
        }
      }
    }
    List<Double> invokes = new ArrayList<>();
    for (String v : m.get("invokeMs").split(",")) invokes.add(Double.parseDouble(v));
    long jvmStart = Long.parseLong(m.get("jvmStartMs"));
    long main = Long.parseLong(m.get("mainMs"));
    long constructed = Long.parseLong(m.get("constructedMs"));
    List<String> firstClasses = classLog == null ? List.of()
        : classesLoadedBetween(classLog, Long.parseLong(m.get("firstFromMs")) - jvmStart, Long.parseLong(m.get("firstToMs")) - jvmStart);
    return new Sample(main - spawnMs, constructed - jvmStart, constructed - spawnMs, Double.parseDouble(m.get("primingMs")), invokes.get(0),
        Report.median(invokes.subList(1, invokes.size())), Long.parseLong(m.get("vmHwmKb")) / 1024.0, wallMs, firstClasses);
  }

  private static final java.util.regex.Pattern CLASS_LOAD = java.util.regex.Pattern.compile("^\\[(\\d+)ms\\] (\\S+) source: .*$");

  /** The classes an {@code -Xlog:class+load:...:uptimemillis} log shows loaded in [from, to] ms of JVM uptime. */
  private static List<String> classesLoadedBetween(Path classLog, long fromMs, long toMs) throws IOException {
    List<String> loaded = new ArrayList<>();
    for (String line : Files.readAllLines(classLog)) {
      java.util.regex.Matcher c = CLASS_LOAD.matcher(line);
      if (c.matches() && Long.parseLong(c.group(1)) >= fromMs && Long.parseLong(c.group(1)) <= toMs) loaded.add(c.group(2));
    }
    return loaded;
  }

  /** A real event for the function, like events/*.json, with the set-up's identities and fresh keys. */
  private static String event(Path root, String logicalId, BenchStack stack, BenchStack.Org org, String team, BenchStack.Person member)
      throws IOException {
    String file = switch (logicalId) {
      case "GetMeFunction" -> "GetMe-authenticated.json";
      case "ConsumeCreditsFunction" -> "ConsumeCredits-consume.json";
      case "PreSignUpFunction" -> "PreSignUp-valid-email.json";
      case "PostConfirmationFunction" -> "PostConfirmation-confirm-sign-up.json";
      default -> throw new IllegalArgumentException(logicalId);
    };
    ObjectNode event = (ObjectNode) BenchStack.JSON.readTree(root.resolve("events").resolve(file).toFile());
    String issuer = stack.info.cognitoEndpoint() + "/" + stack.info.userPoolId();
    if (event.has("requestContext")) {
      ObjectNode claims = (ObjectNode) event.path("requestContext").path("authorizer").path("jwt").path("claims");
      claims.put("sub", member.userId());
      claims.put("email", member.email());
      claims.put("name", member.name());
      claims.put("aud", stack.info.userPoolClientId());
      claims.put("iss", issuer);
      ((ObjectNode) event.path("requestContext")).put("requestId", UUID.randomUUID().toString());
      ((ObjectNode) event.path("headers")).put("authorization", "Bearer " + member.token());
    }
    if (logicalId.equals("ConsumeCreditsFunction")) {
      String path = "/v1/organizations/" + org.orgId() + "/teams/" + team + "/consumptions";
      event.put("rawPath", path);
      ((ObjectNode) event.path("requestContext").path("http")).put("path", path);
      ((ObjectNode) event.path("pathParameters")).put("orgId", org.orgId()).put("teamId", team);
      ((ObjectNode) event.path("headers")).put("idempotency-key", UUID.randomUUID().toString());
      event.put("body", "{\"amount\": 1, \"jobId\": \"coldstart\", \"description\": \"cold-start probe\"}");
    }
    if (event.has("triggerSource")) {
      String sub = UUID.randomUUID().toString();
      String email = "coldstart-" + sub.substring(0, 8) + "@example.com";
      event.put("userPoolId", stack.info.userPoolId());
      event.put("userName", sub);
      ((ObjectNode) event.path("callerContext")).put("clientId", stack.info.userPoolClientId());
      ObjectNode attributes = (ObjectNode) event.path("request").path("userAttributes");
      attributes.put("email", email);
      if (attributes.has("sub")) attributes.put("sub", sub);
    }
    return BenchStack.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(event);
  }

  /**
   * Writes ColdStartProbe's class files (and its nested ones) and the hello world's into a jar, the probe's only classpath
   * entry of ours (a jar: AppCDS archives no class from a directory).
   */
  private static void extractProbe(Path jar) throws IOException {
    Files.createDirectories(jar.getParent());
    try (var out = new java.util.jar.JarOutputStream(Files.newOutputStream(jar))) {
      String base = ColdStartProbe.class.getName().replace('.', '/');
      List<String> classes = new ArrayList<>(List.of(HelloWorldHandler.class.getName().replace('.', '/') + ".class", base + ".class"));
      for (int i = 1; ; i++) {
        if (ColdStartBench.class.getClassLoader().getResource(base + "$" + i + ".class") == null) break;
        classes.add(base + "$" + i + ".class");
      }
      for (String c : classes) {
        out.putNextEntry(new java.util.jar.JarEntry(c));
        copy(c, out);
        out.closeEntry();
      }
    }
  }

  private static void copy(String resource, java.io.OutputStream target) throws IOException {
    try (InputStream in = ColdStartBench.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) throw new IllegalStateException(resource + " is not on the bench's classpath");
      in.transferTo(target);
    }
  }
}
