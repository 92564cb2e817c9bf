import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.BindException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import com.almworks.sqlite4java.SQLiteConnection;
import com.almworks.sqlite4java.SQLiteJob;
import com.almworks.sqlite4java.SQLiteQueue;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;

/**
 * Runs DynamoDB Local bound to 127.0.0.1 only: the stock jar listens on every interface and has no host
 * option, so this builds the server from the usual command line and moves its Jetty connector to loopback
 * before starting it.
 *
 * <p>Takes the DynamoDB Local arguments (-port N, -inMemory or -dbPath DIR, -sharedDb, -disableTelemetry,
 * ...). "-port 0" picks a free port (DynamoDB Local itself rejects 0). Prints
 * "LoopbackDynamoDb listening on 127.0.0.1:PORT" once it accepts connections, and exits when stdin closes,
 * so a parent that dies without cleaning up never leaves the JVM behind.
 *
 * <p>It also makes an answered transaction durable. DynamoDB Local commits a TransactWriteItems (and a
 * PartiQL ExecuteTransaction) by queueing the COMMIT on its SQLite thread without waiting for it, and
 * answers at once: a process killed in between loses a transaction it had acknowledged (measured here: 3
 * to 5 of about 11,000 transactions across 15 SIGKILLs, each answered within 5 ms of the kill; none of
 * 13,000 PutItems, which commit before they answer). The answer to those two operations is therefore
 * held until every job queued before it, the COMMIT included, has run.
 *
 * <p>Exit codes: 2 bad arguments, 3 port in use, 4 any other start-up failure.
 */
public final class LoopbackDynamoDb {
  private static final String HOST = "127.0.0.1";
  private static final String PREFIX = "LoopbackDynamoDb";

  private LoopbackDynamoDb() {}

  public static void main(String[] args) throws Exception {
    List<String> forwarded = new ArrayList<>(List.of(args));
    boolean ephemeral = false;
    int requestedPort = 8000;
    int portIndex = forwarded.indexOf("-port");
    if (portIndex >= 0 && portIndex + 1 < forwarded.size()) {
      String value = forwarded.get(portIndex + 1);
      try {
        requestedPort = Integer.parseInt(value);
      } catch (NumberFormatException e) {
        fail(2, "invalid -port value: " + value);
      }
      if (requestedPort == 0) {
        ephemeral = true;
        // Placeholder that passes DynamoDB Local's range check; the connector gets port 0 below.
        forwarded.set(portIndex + 1, "8000");
      }
    }

    // Watch stdin before the slow start-up so an early parent exit still stops us.
    Thread stdinWatcher = new Thread(LoopbackDynamoDb::exitWhenStdinCloses, PREFIX + "-stdin");
    stdinWatcher.setDaemon(true);
    stdinWatcher.start();

    // DynamoDB Local prints its configuration while building the server; hold it back so the placeholder
    // port of "-port 0" can be replaced by the real one.
    ByteArrayOutputStream banner = new ByteArrayOutputStream();
    DynamoDBProxyServer proxy = createServer(forwarded.toArray(new String[0]), banner);

    Server jetty = jettyServerOf(proxy);
    List<ServerConnector> connectors = new ArrayList<>();
    for (Connector connector : jetty.getConnectors()) {
      if (connector instanceof ServerConnector serverConnector) {
        serverConnector.setHost(HOST);
        if (ephemeral) serverConnector.setPort(0);
        connectors.add(serverConnector);
      } else {
        fail(4, "unexpected Jetty connector " + connector.getClass().getName() + "; cannot bind it to " + HOST);
      }
    }
    if (connectors.isEmpty()) fail(4, "DynamoDB Local has no Jetty connector to bind to " + HOST);
    jetty.setHandler(new CommittedBeforeAnswered(jetty.getHandler(), proxy));

    try {
      proxy.start();
    } catch (Exception e) {
      if (isPortTaken(e)) fail(3, "port " + requestedPort + " on " + HOST + " is already in use");
      fail(4, "could not start: " + e);
    }
    // DynamoDBProxyServer.start() swallows a bare SocketException (printing it) and stops Jetty instead.
    int port = connectors.get(0).getLocalPort();
    if (!jetty.isStarted() || port <= 0) fail(4, "Jetty did not start on " + HOST + " (see above)");

    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        // Closes the SQLite files cleanly so a -dbPath database survives SIGTERM.
        proxy.stop();
      } catch (Exception ignored) {
        // The JVM is going away anyway.
      }
    }, PREFIX + "-shutdown"));

    System.out.print(banner.toString(StandardCharsets.UTF_8).replaceAll("(?m)^Port:\\t\\d+$", "Port:\t" + port));
    System.out.println(PREFIX + " listening on " + HOST + ":" + port);
    System.out.flush();
    proxy.join();
  }

  private static DynamoDBProxyServer createServer(String[] args, ByteArrayOutputStream banner) {
    PrintStream stdout = System.out;
    System.setOut(new PrintStream(banner, true, StandardCharsets.UTF_8));
    try {
      return ServerRunner.createServerFromCommandLineArgs(args);
    } catch (Exception e) {
      System.setOut(stdout);
      stdout.print(banner.toString(StandardCharsets.UTF_8));
      fail(2, "invalid arguments: " + e.getMessage());
      return null;
    } finally {
      System.setOut(stdout);
    }
  }

  private static Server jettyServerOf(DynamoDBProxyServer proxy) throws ReflectiveOperationException {
    for (Field field : DynamoDBProxyServer.class.getDeclaredFields()) {
      if (Server.class.isAssignableFrom(field.getType())) {
        field.setAccessible(true);
        return (Server) field.get(proxy);
      }
    }
    fail(4, "this DynamoDB Local version has no Jetty Server field in DynamoDBProxyServer");
    return null;
  }

  /**
   * Holds the answer to a transaction until its COMMIT has run: SQLiteQueue runs jobs in order, so a job
   * queued after the COMMIT and waited for means the COMMIT is done (and in the operating system's hands,
   * which a killed process cannot lose).
   */
  private static final class CommittedBeforeAnswered extends Handler.Wrapper {
    private final DynamoDBProxyServer proxy;
    private SQLiteQueue queue;

    CommittedBeforeAnswered(Handler handler, DynamoDBProxyServer proxy) {
      super(handler);
      this.proxy = proxy;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
      String target = request.getHeaders().get("X-Amz-Target");
      boolean transaction =
          target != null && (target.endsWith(".TransactWriteItems") || target.endsWith(".ExecuteTransaction"));
      return super.handle(request, transaction ? new AfterQueuedJobs(request, response) : response, callback);
    }

    /**
     * The SQLite job queue behind the server. DynamoDB Local opens its database at the first request and
     * keeps the queue several objects deep (request handler, a map of databases, client, database access),
     * so this walks DynamoDB Local's own objects until it meets it.
     */
    private synchronized SQLiteQueue queue() throws IllegalAccessException {
      if (queue != null) return queue;
      Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
      Queue<Object> pending = new ArrayDeque<>(List.of(proxy));
      while (!pending.isEmpty()) {
        Object current = pending.remove();
        if (current instanceof SQLiteQueue found) return queue = found;
        if (!seen.add(current)) continue;
        if (current instanceof Map<?, ?> map) pending.addAll(map.values().stream().filter(v -> v != null).toList());
        for (Class<?> type = current.getClass(); type != null; type = type.getSuperclass()) {
          if (!type.getName().startsWith("software.amazon.dynamodb.")) continue;
          for (Field field : type.getDeclaredFields()) {
            if (field.getType().isPrimitive() || Modifier.isStatic(field.getModifiers())) continue;
            field.setAccessible(true);
            Object value = field.get(current);
            if (value != null) pending.add(value);
          }
        }
      }
      throw new IllegalStateException("this DynamoDB Local version keeps its SQLite queue elsewhere");
    }

    private final class AfterQueuedJobs extends Response.Wrapper {
      private boolean waited;

      AfterQueuedJobs(Request request, Response response) {
        super(request, response);
      }

      @Override
      public void write(boolean last, ByteBuffer content, Callback callback) {
        if (!waited) {
          waited = true;
          try {
            queue().execute(new SQLiteJob<Void>() {
              @Override
              protected Void job(SQLiteConnection connection) {
                return null;
              }
            }).complete();
          } catch (IllegalAccessException | RuntimeException e) {
            // An answer not known to be durable is no answer: the client sees an error and retries.
            callback.failed(e);
            return;
          }
        }
        super.write(last, content, callback);
      }
    }
  }

  /** A BindException also reports "Permission denied" (ports below 1024); only EADDRINUSE counts. */
  private static boolean isPortTaken(Throwable error) {
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      String message = cause.getMessage();
      if (cause instanceof BindException && message != null && message.contains("already in use")) return true;
    }
    return false;
  }

  private static void exitWhenStdinCloses() {
    InputStream in = System.in;
    byte[] buffer = new byte[256];
    try {
      while (in.read(buffer) != -1) {
        // Input is ignored; only end-of-stream matters.
      }
    } catch (IOException ignored) {
      // A broken pipe means the parent is gone, same as EOF.
    }
    System.exit(0);
  }

  private static void fail(int code, String message) {
    System.err.println(PREFIX + " error: " + message);
    System.err.flush();
    System.exit(code);
  }
}
