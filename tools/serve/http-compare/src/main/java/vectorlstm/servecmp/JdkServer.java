package vectorlstm.servecmp;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.Executors;
import vectorlstm.classifier.TextClassifier;

/** The endpoints on the JDK's com.sun.net.httpserver, one virtual thread per exchange. */
public final class JdkServer {
    public static void main(String[] args) throws IOException {
        Options options = Options.parse(args);
        Endpoints endpoints = new Endpoints(TextClassifier.load(options.model()));
        // Backlog 1024: wrk opens 64 connections at once; the default (50 on Linux) would drop SYNs.
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), options.port()), 1024);
        server.setExecutor(options.virtualThreads() ? Executors.newVirtualThreadPerTaskExecutor() : Executors.newFixedThreadPool(options.maxThreads()));
        server.createContext("/", exchange -> handle(exchange, endpoints));
        server.start();
        System.out.println("jdk httpserver (" + (options.virtualThreads() ? "virtual threads" : options.maxThreads() + " platform threads") + ") on http://127.0.0.1:" + options.port());
    }

    private static void handle(HttpExchange exchange, Endpoints endpoints) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody(); OutputStream out = exchange.getResponseBody()) {
            byte[] body = in.readAllBytes();
            Endpoints.Answer answer = endpoints.answer(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), body);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(answer.status(), answer.body().length);
            out.write(answer.body());
        }
    }
}
