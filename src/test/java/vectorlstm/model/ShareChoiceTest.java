package vectorlstm.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The choice between sharing a call's steps and going alone, on made-up timings whose answer is known. */
class ShareChoiceTest {
    private static final int STEPS = 500;

    /** Runs {@code calls} calls whose steps cost the given nanoseconds each way; returns how many were shared. */
    private static int run(ShareChoice choice, int calls, double sharedNanosAStep, double aloneNanosAStep) {
        int sharedCalls = 0;
        for (int i = 0; i < calls; i++) {
            if (choice.shareNext()) {
                sharedCalls++;
                choice.sharedTook(STEPS, Math.round(sharedNanosAStep * STEPS));
            } else {
                choice.aloneTook(STEPS, Math.round(aloneNanosAStep * STEPS));
            }
        }
        return sharedCalls;
    }

    @Test
    void aNewChoiceTriesBothWaysBeforeTheTimingsDecide() {
        ShareChoice choice = new ShareChoice();
        for (int i = 0; i < ShareChoice.FIRST_SAMPLES; i++) {
            assertTrue(choice.shareNext(), "call " + i + " shares: sharing is the default until measured");
            choice.sharedTook(STEPS, 1_000L * STEPS);
        }
        for (int i = 0; i < ShareChoice.FIRST_SAMPLES; i++) {
            assertFalse(choice.shareNext(), "call " + i + " of the alone samples");
            choice.aloneTook(STEPS, 1_400L * STEPS);
        }
        assertTrue(choice.shareNext(), "shared steps 1,000 ns against 1,400 alone: share");
    }

    @Test
    void coresFarApartGoAloneExceptForOneProbeInEachPeriod() {
        ShareChoice choice = new ShareChoice();
        run(choice, 100, 1_700, 1_400);  // settle
        int calls = 100 * ShareChoice.PROBE_EVERY;
        assertEquals(100, run(choice, calls, 1_700, 1_400), "one shared probe in " + ShareChoice.PROBE_EVERY + " calls");
    }

    @Test
    void coresNearEachOtherShareExceptForOneProbeInEachPeriod() {
        ShareChoice choice = new ShareChoice();
        run(choice, 100, 900, 1_400);
        int calls = 100 * ShareChoice.PROBE_EVERY;
        assertEquals(calls - 100, run(choice, calls, 900, 1_400), "one alone probe in " + ShareChoice.PROBE_EVERY + " calls");
    }

    @Test
    void sharingMustSaveMoreThanTheMarginToHoldASecondCore() {
        ShareChoice justFaster = new ShareChoice();
        run(justFaster, 1_000, 1_370, 1_400);  // 2 % faster shared: not enough
        assertFalse(justFaster.shareNext());
        ShareChoice clearlyFaster = new ShareChoice();
        run(clearlyFaster, 1_000, 1_300, 1_400);  // 7 % faster: worth it
        assertTrue(clearlyFaster.shareNext());
    }

    @Test
    void aChangeOfPlacementIsFollowedWithinAFewProbes() {
        ShareChoice choice = new ShareChoice();
        run(choice, 1_000, 1_700, 1_400);  // far apart: alone
        // Now near: the shared probes report 900 ns. After a majority of the window (5 probes) the
        // median moves and the calls share.
        int probesToTurn = ShareChoice.WINDOW / 2 + 1;
        run(choice, probesToTurn * ShareChoice.PROBE_EVERY, 900, 1_400);
        int calls = 10 * ShareChoice.PROBE_EVERY;
        assertEquals(calls - 10, run(choice, calls, 900, 1_400), "shares after the placement changed");
        // And back: far apart again.
        run(choice, probesToTurn * ShareChoice.PROBE_EVERY, 1_700, 1_400);
        assertEquals(10, run(choice, calls, 1_700, 1_400), "goes alone again");
    }

    @Test
    void oneSlowCallDoesNotTurnTheChoice() {
        ShareChoice choice = new ShareChoice();
        run(choice, 1_000, 900, 1_400);
        assertTrue(choice.shareNext());
        choice.sharedTook(STEPS, 100_000L * STEPS);  // preempted for 50 ms
        assertTrue(choice.shareNext(), "the median of the window ignores one outlier");
    }

    @Test
    void shortCallsAreNotCounted() {
        ShareChoice choice = new ShareChoice();
        for (int i = 0; i < 50; i++) {
            assertTrue(choice.shareNext(), "no call long enough to measure yet: still the default");
            choice.sharedTook(ShareChoice.MIN_STEPS - 1, 1_000_000L);
        }
        for (int i = 0; i < ShareChoice.FIRST_SAMPLES; i++) choice.sharedTook(ShareChoice.MIN_STEPS, 1_000L * ShareChoice.MIN_STEPS);
        assertFalse(choice.shareNext(), "three measured shared calls: now the alone way is tried");
    }
}
