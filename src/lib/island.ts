/**
 * The base of every widget's custom element: the `data-state` contract, a `role="alert"` error
 * box, and lazy start when the widget scrolls into view.
 */

/** The states a widget's root element announces in `data-state`. */
export type IslandState = 'loading' | 'ready' | 'error';

/** A custom element that starts when visible and reports its state on its root. */
export abstract class IslandElement extends HTMLElement {
  #observer: IntersectionObserver | undefined;
  #started = false;

  /** Does the widget's work once it is near the viewport; throwing puts it in the error state. */
  protected abstract start(): Promise<void>;

  connectedCallback(): void {
    if (!this.dataset.state) this.setState('loading');
    if (this.#started) return;
    if (typeof IntersectionObserver === 'undefined') return void this.#run();
    this.#observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting)) {
          this.#observer?.disconnect();
          void this.#run();
        }
      },
      { rootMargin: '200px' },
    );
    this.#observer.observe(this);
  }

  disconnectedCallback(): void {
    this.#observer?.disconnect();
  }

  /** Runs `start` once and turns any failure into the visible error state. */
  async #run(): Promise<void> {
    if (this.#started) return;
    this.#started = true;
    try {
      await this.start();
      if (this.dataset.state === 'loading') this.setState('ready');
    } catch (err) {
      this.fail(err);
    }
  }

  /** Sets `data-state` on the root. */
  protected setState(state: IslandState): void {
    this.dataset.state = state;
    this.setAttribute('aria-busy', String(state === 'loading'));
  }

  /** Shows a failure in the widget's `role="alert"` box and enters the error state. */
  protected fail(err: unknown): void {
    const message = err instanceof Error ? err.message : String(err);
    let alert = this.querySelector<HTMLElement>('[role="alert"]');
    if (!alert) {
      alert = document.createElement('p');
      alert.setAttribute('role', 'alert');
      alert.className = 'island-alert';
      this.prepend(alert);
    }
    alert.textContent = message;
    alert.hidden = false;
    this.setState('error');
    console.warn(`[${this.localName}]`, err);
  }
}
