import { describe, expect, it } from 'vitest';
import { strokeAnnouncer } from './drawing-pad.ts';

describe('strokeAnnouncer', () => {
  it("says the drawing's newest result when a stroke ends, not while drawing", () => {
    const live = { textContent: 'Test digit #3, a 5: AE 80 nats' } as HTMLElement;
    const say = strokeAnnouncer(live);
    say.shown('Your drawing: AE 120 nats');
    say.shown('Your drawing: AE 110 nats');
    expect(live.textContent).toBe('Test digit #3, a 5: AE 80 nats');
    say.strokeEnd();
    expect(live.textContent).toBe('Your drawing: AE 110 nats');
  });

  it('a stroke that ends before the models have read the drawing is announced once they have, never with the old words', () => {
    const live = { textContent: 'Test digit #3, a 5: AE 80 nats' } as HTMLElement;
    const say = strokeAnnouncer(live);
    say.strokeEnd(); // the encoders are still loading
    expect(live.textContent).toBe('Test digit #3, a 5: AE 80 nats');
    say.shown('Your drawing: AE 120 nats');
    expect(live.textContent).toBe('Your drawing: AE 120 nats');
    live.textContent = 'Something else';
    say.shown('Your drawing: AE 100 nats'); // later frames wait for the next stroke's end
    expect(live.textContent).toBe('Something else');
  });

  it('forgets the result when the pad is cleared', () => {
    const live = { textContent: '' } as HTMLElement;
    const say = strokeAnnouncer(live);
    say.shown('Your drawing: AE 120 nats');
    say.clear();
    live.textContent = 'Drawing cleared.';
    say.strokeEnd();
    expect(live.textContent).toBe('Drawing cleared.');
    say.shown('Your drawing: AE 90 nats');
    expect(live.textContent).toBe('Your drawing: AE 90 nats');
  });
});
