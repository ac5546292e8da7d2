package io.appdb.bench;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.crud.Attribute;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.crud.AttributeType;
import io.fabric8.mockwebserver.crud.CrudDispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;

/**
 * fabric8's CRUD mock API server, except that {@link #findResource}, which every create, patch and
 * update calls to find the addressed object, looks the object up by name instead of scanning every
 * stored object of every kind, and so does a delete addressed by name.
 *
 * <p>Why the bench has its own: fabric8's store is one map of all objects, and {@code findResource}
 * tests each of them against the request (a create scans them all). Its cost per request grows with
 * what the server holds, and on this two-core machine the mock API server runs on the same cores as
 * the operator, the limit and both database servers, so that cost is taken from them. A real API
 * server reads by key. The side that sends more requests (the operator: the finalizer patch and the
 * creation event, which the contract requires) paid more for a cost no real cluster has; in JFR,
 * {@code findResource} was 245 of the mock's 357 samples (sixth session). The bench's {@code --mock
 * stock} runs fabric8's dispatcher unchanged.
 *
 * <p>A delete addressed by name is looked up the same way ({@link #handleDelete}); fabric8 answers
 * it from a copy of the whole store, scanned (12.4 ms of the mock's CPU per deleted AppDatabase at
 * N = 5000, and 74 s for the users' 5000 deletes to get through).
 *
 * <p>What is the same: the stored objects, every response, the watch events, and which object is
 * found; a lookup whose query has no plain name (a list, a selector, a get) still scans. The index
 * is kept in the store itself ({@link IndexedStore}), which fabric8 7.5.2 changes only through
 * {@code put}, {@code remove} and {@code clear} (checked in its bytecode when this was written;
 * {@code IndexedCrudDispatcherTest} compares every lookup with the scan).
 */
class IndexedCrudDispatcher extends KubernetesCrudDispatcher {
  private static final String NAME = "name";

  private final IndexedStore store = new IndexedStore();
  private final boolean verify;
  private final Lock writeLock;
  private final Method processDelete;
  private final List<String> mismatches = Collections.synchronizedList(new ArrayList<>());

  /**
   * @param verify also scan as fabric8 does, answer with what the scan found and record any
   *     difference in {@link #mismatches()} (for tests)
   */
  IndexedCrudDispatcher(boolean verify) {
    this.verify = verify;
    replaceStore(Collections.synchronizedMap(store));
    try {
      Field lock = KubernetesCrudDispatcher.class.getDeclaredField("lock");
      lock.setAccessible(true);
      writeLock = ((ReadWriteLock) lock.get(this)).writeLock();
      processDelete =
          KubernetesCrudDispatcher.class.getDeclaredMethod(
              "processDelete", String.class, AttributeSet.class, AttributeSet.class);
      processDelete.setAccessible(true);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("fabric8's KubernetesCrudDispatcher changed", e);
    }
  }

  /**
   * A delete of one named object: fabric8's own deletion ({@code processDelete}: the finalizers
   * honoured, the watch events sent) of what the index finds, answered as fabric8 answers it (the
   * object as it was, or 404), under fabric8's write lock. Other deletes (a collection) go to
   * fabric8.
   */
  @Override
  public MockResponse handleDelete(String path) {
    AttributeSet query = attributeExtractor.fromPath(path);
    Attribute name = plainName(query);
    if (name == null) {
      return super.handleDelete(path);
    }
    writeLock.lock();
    try {
      List<Map.Entry<AttributeSet, String>> found;
      synchronized (map) {
        found = indexedMatches(name, query, Integer.MAX_VALUE);
        if (verify) {
          List<AttributeSet> scanned = new ArrayList<>();
          for (AttributeSet key : store.keySet()) {
            if (key.matches(query)) {
              scanned.add(key);
            }
          }
          List<AttributeSet> indexed = found.stream().map(Map.Entry::getKey).toList();
          if (!scanned.equals(indexed)) {
            mismatches.add("delete " + query + ": index " + indexed + ", scan " + scanned);
          }
        }
      }
      for (Map.Entry<AttributeSet, String> entry : found) {
        processDelete.invoke(this, path, query, entry.getKey());
      }
      MockResponse response = new MockResponse();
      return found.isEmpty()
          ? response.setResponseCode(404)
          : response.setBody(found.get(0).getValue()).setResponseCode(200);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    } catch (InvocationTargetException e) {
      throw e.getCause() instanceof RuntimeException r
          ? r
          : new IllegalStateException(e.getCause());
    } finally {
      writeLock.unlock();
    }
  }

  /**
   * fabric8's {@code CrudDispatcher.map} is final and created in its constructor, with no hook to
   * supply another; reflection is the only way in short of copying the dispatcher.
   */
  private void replaceStore(Map<AttributeSet, String> replacement) {
    try {
      Field field = CrudDispatcher.class.getDeclaredField("map");
      field.setAccessible(true);
      field.set(this, replacement);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("fabric8's CrudDispatcher has no field 'map' any more", e);
    }
  }

  @Override
  public Map.Entry<AttributeSet, String> findResource(AttributeSet query) {
    Attribute name = plainName(query);
    if (name == null) {
      return super.findResource(query);
    }
    Map.Entry<AttributeSet, String> found;
    synchronized (map) {
      List<Map.Entry<AttributeSet, String>> first = indexedMatches(name, query, 1);
      found = first.isEmpty() ? null : first.get(0);
    }
    if (verify) {
      Map.Entry<AttributeSet, String> scanned = super.findResource(query);
      AttributeSet want = scanned == null ? null : scanned.getKey();
      if (!Objects.equals(want, found == null ? null : found.getKey())) {
        mismatches.add(
            query + ": index " + (found == null ? null : found.getKey()) + ", scan " + want);
        return scanned;
      }
    }
    return found;
  }

  /**
   * The stored objects named {@code name} that fabric8's own matching accepts for {@code query}, in
   * store order, at most {@code limit}; the caller holds the store's lock.
   */
  private List<Map.Entry<AttributeSet, String>> indexedMatches(
      Attribute name, AttributeSet query, int limit) {
    List<Map.Entry<AttributeSet, String>> found = new ArrayList<>();
    for (AttributeSet candidate : store.named(name)) {
      if (found.size() == limit) {
        break;
      }
      if (candidate.matches(query)) {
        found.add(Map.entry(candidate, store.get(candidate)));
      }
    }
    return found;
  }

  /** Lookups where the index and the scan disagreed (only recorded with {@code verify}). */
  List<String> mismatches() {
    return List.copyOf(mismatches);
  }

  /** Index entries: every stored object has one (for the test). */
  int indexed() {
    synchronized (map) {
      return store.indexed();
    }
  }

  /** Drops a stored object from the index only, as a missed update would (for the test). */
  void forgetInIndex(AttributeSet key) {
    synchronized (map) {
      store.named(key.getAttribute(NAME)).remove(key);
    }
  }

  /** The query's name attribute if it asks for exactly one name, else null. */
  static Attribute plainName(AttributeSet query) {
    Attribute name = query.getAttribute(NAME);
    return name != null && name.getType() == AttributeType.WITH && name.getValues().size() == 1
        ? name
        : null;
  }

  /**
   * The mock's store with an index by name attribute. The index holds, for each name attribute, the
   * stored keys that have it, in insertion order like the store, so that a lookup returns the
   * object the scan would have returned first.
   */
  static final class IndexedStore extends LinkedHashMap<AttributeSet, String> {
    private static final long serialVersionUID = 1L;
    private final transient Map<Attribute, List<AttributeSet>> byName = new HashMap<>();

    List<AttributeSet> named(Attribute name) {
      return byName.getOrDefault(name, List.of());
    }

    @Override
    public String put(AttributeSet key, String value) {
      boolean added = !containsKey(key);
      String previous = super.put(key, value);
      if (added) {
        Attribute name = key.getAttribute(NAME);
        if (name != null) {
          byName.computeIfAbsent(name, n -> new ArrayList<>(1)).add(key);
        }
      }
      return previous;
    }

    @Override
    public void putAll(Map<? extends AttributeSet, ? extends String> entries) {
      entries.forEach(this::put);
    }

    @Override
    public String remove(Object key) {
      boolean present = containsKey(key);
      String previous = super.remove(key);
      if (present) {
        Attribute name = ((AttributeSet) key).getAttribute(NAME);
        if (name != null) {
          List<AttributeSet> keys = byName.get(name);
          keys.remove(key);
          if (keys.isEmpty()) {
            byName.remove(name);
          }
        }
      }
      return previous;
    }

    @Override
    public void clear() {
      super.clear();
      byName.clear();
    }

    int indexed() {
      return byName.values().stream().mapToInt(List::size).sum();
    }
  }
}
