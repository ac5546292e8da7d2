package io.appdb.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ServerSlotsTest {
  private final ServerSlots slots = new ServerSlots();

  @Test
  void admitsFourReconcilesPerAdminConnectionAndTurnsAwayTheRest() {
    List<ServerSlots.Slot> held = new ArrayList<>();
    for (int i = 0; i < 2 * ServerSlots.SLOTS_PER_CONNECTION; i++) {
      held.add(slots.tryEnter("pg", 2, "adb-" + i).orElseThrow());
    }
    assertThat(slots.tryEnter("pg", 2, "late")).isEmpty();
    assertThat(slots.waiting("pg")).isEqualTo(1);

    held.get(0).close();
    held.get(0).close(); // closing twice gives back one slot, not two
    assertThat(slots.tryEnter("pg", 2, "late")).isPresent();
    assertThat(slots.waiting("pg")).isZero();
    assertThat(slots.tryEnter("pg", 2, "later")).isEmpty();
  }

  @Test
  void aBusyServerDoesNotHoldBackAnother() {
    for (int i = 0; i < ServerSlots.SLOTS_PER_CONNECTION; i++) {
      assertThat(slots.tryEnter("slow", 1, "s-" + i)).isPresent();
    }
    assertThat(slots.tryEnter("slow", 1, "s-x")).isEmpty();
    assertThat(slots.tryEnter("fast", 1, "f-0")).isPresent();
  }

  @Test
  void followsAChangedConnectionCap() {
    List<ServerSlots.Slot> held = new ArrayList<>();
    for (int i = 0; i < 2 * ServerSlots.SLOTS_PER_CONNECTION; i++) {
      held.add(slots.tryEnter("pg", 2, "adb-" + i).orElseThrow());
    }
    // The cap drops to 1: nothing new gets in until the surplus has been given back.
    assertThat(slots.tryEnter("pg", 1, "x")).isEmpty();
    for (int i = 0; i < ServerSlots.SLOTS_PER_CONNECTION; i++) {
      held.get(i).close();
    }
    assertThat(slots.tryEnter("pg", 1, "x")).isEmpty();
    held.get(ServerSlots.SLOTS_PER_CONNECTION).close();
    assertThat(slots.tryEnter("pg", 1, "x")).isPresent();
  }

  @Test
  void retryDelayGrowsWithTheQueueAndStaysWithinBounds() throws Exception {
    assertThat(slots.retryDelay("unknown")).isEqualTo(ServerSlots.MAX_DELAY);
    Optional<ServerSlots.Slot> first = slots.tryEnter("pg", 1, "held");
    assertThat(slots.retryDelay("pg"))
        .as("no hold time known yet")
        .isEqualTo(ServerSlots.MAX_DELAY);
    Thread.sleep(40);
    first.orElseThrow().close();
    List<ServerSlots.Slot> held = new ArrayList<>();
    for (int i = 0; i < ServerSlots.SLOTS_PER_CONNECTION; i++) {
      held.add(slots.tryEnter("pg", 1, "h-" + i).orElseThrow());
    }
    for (int i = 0; i < 400; i++) {
      assertThat(slots.tryEnter("pg", 1, "w-" + i)).isEmpty();
    }
    // FALLBACK_FACTOR x about 40 ms per slot x 400 waiting / SLOTS_PER_CONNECTION slots (8 s with
    // 4 and 8), jittered by +-25 %; the hold may have lasted a little longer than 40 ms.
    long expectedMillis =
        ServerSlots.FALLBACK_FACTOR * 40L * 400 / ServerSlots.SLOTS_PER_CONNECTION;
    Duration delay = slots.retryDelay("pg");
    assertThat(delay).isBetween(Duration.ofMillis(expectedMillis * 7 / 10), Duration.ofSeconds(60));
    for (int i = 0; i < 100_000; i++) {
      assertThat(slots.tryEnter("pg", 1, "many-" + i)).isEmpty();
    }
    assertThat(slots.retryDelay("pg")).isEqualTo(ServerSlots.MAX_DELAY);

    slots.forget("w-0");
    assertThat(slots.waiting("pg")).isEqualTo(400 - 1 + 100_000);
  }

  @Test
  void aSlotGivenBackWakesTheLongestWaitingFirst() {
    List<Object> woken = new ArrayList<>();
    ServerSlots queued = new ServerSlots(woken::add);
    List<ServerSlots.Slot> held = new ArrayList<>();
    for (int i = 0; i < ServerSlots.SLOTS_PER_CONNECTION; i++) {
      held.add(queued.tryEnter("pg", 1, "h-" + i).orElseThrow());
    }
    for (String waiter : List.of("w-0", "w-1", "w-2")) {
      assertThat(queued.tryEnter("pg", 1, waiter)).isEmpty();
    }
    assertThat(queued.tryEnter("pg", 1, "w-0")).as("asking again keeps the place").isEmpty();
    queued.forget("w-1");
    assertThat(woken).isEmpty();

    held.get(0).close();
    held.get(0).close(); // closing twice gives back one slot and wakes one waiter
    assertThat(woken).containsExactly("w-0");
    held.get(1).close();
    assertThat(woken).containsExactly("w-0", "w-2");
    assertThat(queued.waiting("pg")).isZero();

    // A woken reconcile that finds its slot taken queues again at the back.
    held.set(0, queued.tryEnter("pg", 1, "newcomer").orElseThrow());
    held.set(1, queued.tryEnter("pg", 1, "w-0").orElseThrow());
    assertThat(queued.tryEnter("pg", 1, "w-2")).isEmpty();
    assertThat(queued.tryEnter("pg", 1, "w-3")).isEmpty();
    held.get(2).close();
    assertThat(woken).containsExactly("w-0", "w-2", "w-2");
  }

  @Test
  void aWakeUpNotTakenUpGoesToTheNextWaiter() {
    List<Object> woken = new ArrayList<>();
    AtomicLong now = new AtomicLong();
    ServerSlots queued = new ServerSlots(woken::add, now::get);
    List<ServerSlots.Slot> held = new ArrayList<>();
    for (int i = 0; i < ServerSlots.SLOTS_PER_CONNECTION; i++) {
      held.add(queued.tryEnter("pg", 1, "h-" + i).orElseThrow());
    }
    for (String waiter : List.of("w-0", "w-1", "w-2", "w-3")) {
      assertThat(queued.tryEnter("pg", 1, waiter)).isEmpty();
    }
    held.get(0).close();
    assertThat(woken).containsExactly("w-0");
    // w-0 is deleted before its reconcile runs: its wake-up goes on at once.
    queued.forget("w-0");
    assertThat(woken).containsExactly("w-0", "w-1");

    // w-1 never asks (say its spec became invalid): after the lease, the next asker passes it on.
    now.addAndGet(ServerSlots.WAKE_LEASE.toNanos() - 1);
    assertThat(queued.tryEnter("pg", 1, "newcomer")).isPresent();
    assertThat(woken).containsExactly("w-0", "w-1");
    now.addAndGet(2);
    assertThat(queued.tryEnter("pg", 1, "w-3")).isEmpty();
    assertThat(woken).containsExactly("w-0", "w-1", "w-2");
    assertThat(queued.tryEnter("pg", 1, "w-2")).as("the newcomer took the slot").isEmpty();

    // A woken resource that does arrive is not passed on later.
    held.get(1).close();
    assertThat(woken).containsExactly("w-0", "w-1", "w-2", "w-3");
    assertThat(queued.tryEnter("pg", 1, "w-3")).isPresent();
    now.addAndGet(ServerSlots.WAKE_LEASE.toNanos() * 2);
    assertThat(queued.tryEnter("pg", 1, "another")).isEmpty();
    assertThat(woken).containsExactly("w-0", "w-1", "w-2", "w-3");
  }

  @Test
  void raisingTheCapWakesOneWaiterPerNewSlot() {
    List<Object> woken = new ArrayList<>();
    ServerSlots queued = new ServerSlots(woken::add);
    for (int i = 0; i < ServerSlots.SLOTS_PER_CONNECTION; i++) {
      assertThat(queued.tryEnter("pg", 1, "h-" + i)).isPresent();
    }
    for (int i = 0; i < 2 * ServerSlots.SLOTS_PER_CONNECTION + 1; i++) {
      assertThat(queued.tryEnter("pg", 1, "w-" + i)).isEmpty();
    }
    assertThat(queued.tryEnter("pg", 3, "late")).isPresent();
    assertThat(woken).hasSize(2 * ServerSlots.SLOTS_PER_CONNECTION).startsWith("w-0", "w-1");
  }
}
