package dev.logmerge.merge.s3;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.services.s3.S3AsyncClient;

/**
 * A real S3 client seen from outside: it passes every call on and counts, per operation (the method
 * name, e.g. {@code uploadPart}), the requests sent, the ones in flight now and the most in flight
 * at once. How the code under test uses S3, observed where it meets S3.
 */
final class CountingS3Client implements InvocationHandler {
  private final S3AsyncClient delegate;
  private final S3AsyncClient client;
  private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> peak = new ConcurrentHashMap<>();
  private final Map<String, List<Object>> requests = new ConcurrentHashMap<>();
  private final Map<String, UnaryOperator<Object>> answers = new ConcurrentHashMap<>();

  private CountingS3Client(S3AsyncClient delegate) {
    this.delegate = delegate;
    this.client =
        (S3AsyncClient)
            Proxy.newProxyInstance(
                S3AsyncClient.class.getClassLoader(), new Class<?>[] {S3AsyncClient.class}, this);
  }

  static CountingS3Client around(S3AsyncClient delegate) {
    return new CountingS3Client(delegate);
  }

  /** The client to hand to the code under test. */
  S3AsyncClient client() {
    return client;
  }

  int inFlight(String operation) {
    return counter(inFlight, operation).get();
  }

  int peakInFlight(String operation) {
    return counter(peak, operation).get();
  }

  /** From now on, the operation's answers pass through {@code change} (null: as they come). */
  void alterAnswers(String operation, UnaryOperator<Object> change) {
    if (change == null) {
      answers.remove(operation);
    } else {
      answers.put(operation, change);
    }
  }

  /** The first argument of every call of the operation, in order: usually its request. */
  List<Object> requests(String operation) {
    return List.copyOf(requests.getOrDefault(operation, List.of()));
  }

  @Override
  public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
    Object result;
    try {
      result = method.invoke(delegate, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
    if (result instanceof CompletableFuture<?> future) {
      String operation = method.getName();
      requests
          .computeIfAbsent(operation, o -> new CopyOnWriteArrayList<>())
          .add(args == null ? "" : args[0]);
      int now = counter(inFlight, operation).incrementAndGet();
      counter(peak, operation).accumulateAndGet(now, Math::max);
      future.whenComplete((value, error) -> counter(inFlight, operation).decrementAndGet());
      UnaryOperator<Object> change = answers.get(operation);
      if (change != null) {
        return future.thenApply(change);
      }
    }
    return result;
  }

  private static AtomicInteger counter(Map<String, AtomicInteger> counters, String operation) {
    return counters.computeIfAbsent(operation, o -> new AtomicInteger());
  }
}
