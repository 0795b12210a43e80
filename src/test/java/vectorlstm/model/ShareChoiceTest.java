package vectorlstm.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The choice between sharing a call's steps and going alone, on made-up timings whose answer is known. */
class ShareChoiceTest {
    private static final int STEPS = 500;
    /** Enough calls for the warm-up and the first bursts of both ways. */
    private static final int SETTLE = ShareChoice.WARM_UP_CALLS + 4 * ShareChoice.WINDOW * ShareChoice.BURST;

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
    void theWarmUpSharesUntimedThenBothWaysAreTimedInTurns() {
        ShareChoice choice = new ShareChoice();
        // During the warm-up the JIT compiles: absurd times, which must not count.
        for (int i = 0; i < ShareChoice.WARM_UP_CALLS; i++) {
            assertTrue(choice.shareNext(), "warm-up call " + i + " shares");
            choice.sharedTook(STEPS, 1_000_000L * STEPS);
        }
        // Then bursts, shared first, in turns, until each way has a full window of timed calls.
        int bursts = 2 * ((ShareChoice.WINDOW + ShareChoice.BURST - ShareChoice.UNTIMED - 1) / (ShareChoice.BURST - ShareChoice.UNTIMED));
        for (int b = 0; b < bursts; b++) {
            boolean shares = b % 2 == 0;
            for (int k = 0; k < ShareChoice.BURST; k++) {
                assertEquals(shares, choice.shareNext(), "burst " + b + ", call " + k);
                if (shares) choice.sharedTook(STEPS, 1_000L * STEPS);
                else choice.aloneTook(STEPS, 1_400L * STEPS);
            }
        }
        assertTrue(choice.shareNext(), "timed: shared steps 1,000 ns against 1,400 alone, the warm-up's 1 ms forgotten");
    }

    @Test
    void coresFarApartGoAloneExceptForOneBurstInEachPeriod() {
        ShareChoice choice = new ShareChoice();
        run(choice, SETTLE, 1_700, 1_400);
        int periods = 20;
        assertEquals(periods * ShareChoice.BURST, run(choice, periods * ShareChoice.PROBE_EVERY, 1_700, 1_400));
    }

    @Test
    void coresNearEachOtherShareExceptForOneBurstInEachPeriod() {
        ShareChoice choice = new ShareChoice();
        run(choice, SETTLE, 900, 1_400);
        int periods = 20, calls = periods * ShareChoice.PROBE_EVERY;
        assertEquals(calls - periods * ShareChoice.BURST, run(choice, calls, 900, 1_400));
    }

    @Test
    void sharingMustSaveMoreThanTheMarginToHoldASecondCore() {
        ShareChoice justFaster = new ShareChoice();
        run(justFaster, SETTLE, 1_370, 1_400);  // 2 % faster shared: not enough
        assertFalse(justFaster.shareNext());
        ShareChoice clearlyFaster = new ShareChoice();
        run(clearlyFaster, SETTLE, 1_300, 1_400);  // 7 % faster: worth it
        assertTrue(clearlyFaster.shareNext());
    }

    @Test
    void onlyTheLastCallsOfABurstAreTimed() {
        ShareChoice choice = new ShareChoice();
        for (int i = 0; i < ShareChoice.WARM_UP_CALLS; i++) {
            choice.shareNext();
            assertFalse(choice.timedForTests(), "warm-up call " + i);
        }
        run(choice, SETTLE, 1_700, 1_400);  // far apart: alone, shared bursts as probes
        int bursts = 0;
        for (int i = 0; i < 10 * ShareChoice.PROBE_EVERY; i++) {
            if (!choice.shareNext()) {
                assertTrue(choice.timedForTests(), "a call alone outside a burst, " + i);
                choice.aloneTook(STEPS, 1_400L * STEPS);
                continue;
            }
            // A probe: BURST shared calls in a row, the first UNTIMED of them only warming up.
            bursts++;
            for (int place = 1; ; place++) {
                assertEquals(place > ShareChoice.UNTIMED, choice.timedForTests(), "place " + place + " of a burst");
                choice.sharedTook(STEPS, 1_700L * STEPS);
                if (place == ShareChoice.BURST) break;
                assertTrue(choice.shareNext(), "a burst's calls all share");
                i++;
            }
        }
        assertEquals(10, bursts);
    }

    @Test
    void aChangeOfPlacementIsFollowedWithinTwoProbes() {
        ShareChoice choice = new ShareChoice();
        run(choice, SETTLE, 1_700, 1_400);  // far apart: alone
        run(choice, 2 * ShareChoice.PROBE_EVERY, 900, 1_400);  // now near: two probes, 4 timed calls of a window of 5
        int periods = 10, calls = periods * ShareChoice.PROBE_EVERY;
        assertEquals(calls - periods * ShareChoice.BURST, run(choice, calls, 900, 1_400), "shares after the placement changed");
        run(choice, 2 * ShareChoice.PROBE_EVERY, 1_700, 1_400);  // far apart again
        assertEquals(periods * ShareChoice.BURST, run(choice, calls, 1_700, 1_400), "goes alone again");
    }

    @Test
    void oneSlowCallDoesNotTurnTheChoice() {
        ShareChoice choice = new ShareChoice();
        run(choice, SETTLE, 900, 1_400);
        assertTrue(choice.shareNext());
        choice.sharedTook(STEPS, 100_000L * STEPS);  // preempted for 50 ms
        assertTrue(choice.shareNext(), "the median of the window ignores one outlier");
    }

    @Test
    void shortCallsAreNotCounted() {
        ShareChoice choice = new ShareChoice();
        run(choice, SETTLE, 900, 1_400);
        for (int i = 0; i < 10 * ShareChoice.WINDOW; i++) {
            if (choice.shareNext()) choice.sharedTook(ShareChoice.MIN_STEPS - 1, 1_000_000L);  // 32,000 ns a step, were it counted
            else choice.aloneTook(ShareChoice.MIN_STEPS - 1, 1L);
        }
        assertTrue(choice.shareNext(), "calls of fewer than " + ShareChoice.MIN_STEPS + " steps leave the choice as it was");
    }

    @Test
    void callsOfExactlyTheShortestCountedLengthCount() {
        ShareChoice choice = new ShareChoice();
        run(choice, SETTLE, 900, 1_400);  // near: shares, every call timed
        for (int i = 0; i < 3; i++) {  // 3 of the window's 5: the median moves
            assertTrue(choice.shareNext());
            choice.sharedTook(ShareChoice.MIN_STEPS, 1_700L * ShareChoice.MIN_STEPS);
        }
        assertFalse(choice.shareNext(), "calls of " + ShareChoice.MIN_STEPS + " steps count: shared steps now cost 1,700 ns against 1,400 alone");
    }

    @Test
    void oneProbeDoesNotTurnTheChoiceButTheSecondDoes() {
        // The median of 5 needs 3 new values: one burst's timed calls, however fast, are outvoted
        // (a minimum instead of the median, or a slot of the window never overwritten, would turn here).
        ShareChoice choice = new ShareChoice();
        run(choice, SETTLE, 1_700, 1_400);  // far apart: alone
        for (int probe = 1; probe <= 2; probe++) {
            for (int alone = 0; !choice.shareNext(); alone++) {  // alone up to the probe
                assertTrue(alone < ShareChoice.PROBE_EVERY, "no probe in " + ShareChoice.PROBE_EVERY + " calls");
                choice.aloneTook(STEPS, 1_400L * STEPS);
            }
            choice.sharedTook(STEPS, 900L * STEPS);
            for (int k = 1; k < ShareChoice.BURST; k++) {
                assertTrue(choice.shareNext(), "probe " + probe + ", call " + k);
                choice.sharedTook(STEPS, 900L * STEPS);
            }
            boolean shares = choice.shareNext();
            assertEquals(probe == 2, shares, "after probe " + probe + " of cheap shared steps");
            if (!shares) choice.aloneTook(STEPS, 1_400L * STEPS);
        }
    }

    /**
     * The count of calls to the next probe must not wrap around: after 2^31 calls before both ways
     * were timed (texts all shorter than {@link ShareChoice#MIN_STEPS}, or a helper that never
     * came), probing stopped for another 2^31 calls. A few seconds: the calls themselves.
     */
    @Test
    void probesGoOnAfterBillionsOfCallsThatWereNotTimed() {
        ShareChoice choice = new ShareChoice();
        for (long i = 0; i < (1L << 31) + 1024; i++) choice.shareNext();  // no time reported
        run(choice, SETTLE, 1_700, 1_400);  // now both ways are timed: far apart, alone
        int periods = 20;
        int shared = run(choice, periods * ShareChoice.PROBE_EVERY, 1_700, 1_400);
        assertTrue(shared >= (periods - 1) * ShareChoice.BURST && shared <= (periods + 1) * ShareChoice.BURST,
                shared + " calls shared in " + periods + " periods: one probe burst each");
    }

    @Test
    void aCallThatSharesAfterCallsAloneSaysSo() {
        ShareChoice choice = new ShareChoice();
        run(choice, SETTLE, 1_700, 1_400);
        while (choice.shareNext()) choice.sharedTook(STEPS, 1_700L * STEPS);  // up to a call alone
        choice.aloneTook(STEPS, 1_400L * STEPS);
        int resumed = 0;
        boolean before = false;
        for (int i = 0; i < 10 * ShareChoice.PROBE_EVERY; i++) {
            boolean share = choice.shareNext();
            assertEquals(share && !before, choice.resumesSharing(), "call " + i);
            if (choice.resumesSharing()) resumed++;
            if (share) choice.sharedTook(STEPS, 1_700L * STEPS);
            else choice.aloneTook(STEPS, 1_400L * STEPS);
            before = share;
        }
        assertEquals(10, resumed, "one per probe burst");
    }
}
