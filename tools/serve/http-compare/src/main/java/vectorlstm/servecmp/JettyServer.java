package vectorlstm.servecmp;

import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.VirtualThreadPool;
import vectorlstm.classifier.TextClassifier;

/**
 * The endpoints on Jetty 12's core Handler API (no servlets). Virtual threads as Jetty's guide
 * recommends: a QueuedThreadPool for the selectors, whose virtual-threads executor runs the
 * blocking handler; {@code --threads platform} keeps Jetty's default pool (up to 200 threads,
 * {@code --max-threads}).
 */
public final class JettyServer {
    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        Endpoints endpoints = new Endpoints(TextClassifier.load(options.model()));
        QueuedThreadPool pool = new QueuedThreadPool(options.maxThreads());
        if (options.virtualThreads()) pool.setVirtualThreadsExecutor(new VirtualThreadPool());
        Server server = new Server(pool);
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(options.port());
        connector.setAcceptQueueSize(1024);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {  // Abstract = blocking: called on a pool thread
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                byte[] body = Content.Source.asInputStream(request).readAllBytes();
                Endpoints.Answer answer = endpoints.answer(request.getMethod(), Request.getPathInContext(request), body);
                response.setStatus(answer.status());
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
                response.getHeaders().put(HttpHeader.CONTENT_LENGTH, answer.body().length);
                response.write(true, ByteBuffer.wrap(answer.body()), callback);
                return true;
            }
        });
        server.start();
        System.out.println("jetty " + Server.getVersion() + " (" + (options.virtualThreads() ? "virtual threads" : "up to " + options.maxThreads() + " platform threads") + ") on http://127.0.0.1:" + options.port());
    }
}
