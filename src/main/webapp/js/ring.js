// The ring of an incoming call: a short two-tone phrase made with Web Audio (no media file),
// repeated until the call is answered, declined or gone. Browsers let a page make sound only
// after the person interacted with it: the sign-in click unlocks the audio context here.
import { readPref, writePref } from './prefs.js';

const MUTED_KEY = 'textchat.ringMuted';
/** One phrase: [frequency Hz, start s, length s]; repeated every PERIOD_S. */
const PHRASE = [[880, 0, 0.18], [660, 0.22, 0.18], [880, 0.44, 0.18], [660, 0.66, 0.18]];
const PERIOD_S = 2.5;
const VOLUME = 0.12;

/**
 * `win` gives AudioContext and localStorage. The context is made (and so allowed to sound) on
 * `unlock()`, from a click; between rings it is suspended, so an idle page makes no audio work.
 */
export class Ringer {
  #win;
  #context = null;
  #timer = null;
  #nodes = [];
  #ringing = false;

  constructor(win) {
    this.#win = win;
  }

  /** Call from a click or key press: makes the audio context while the browser allows it. */
  unlock() {
    const Context = this.#win.AudioContext ?? this.#win.webkitAudioContext;
    if (this.#context !== null || !Context) return;
    try {
      this.#context = new Context();
    } catch (error) {
      console.warn('textchat: no sound for incoming calls', error);
      return;
    }
    // Resuming inside the click is what lets it sound later; then rest until a call rings.
    this.#context.resume().then(() => (this.#ringing ? null : this.#context.suspend())).catch(() => {});
  }

  get muted() {
    return readPref(this.#win.localStorage, MUTED_KEY) === 'true';
  }

  set muted(muted) {
    writePref(this.#win.localStorage, MUTED_KEY, String(Boolean(muted)));
    if (muted) this.#silence();
    else if (this.#ringing) this.#sound();
  }

  get ringing() {
    return this.#ringing;
  }

  start() {
    if (this.#ringing) return;
    this.#ringing = true;
    if (!this.muted) this.#sound();
  }

  stop() {
    if (!this.#ringing) return;
    this.#ringing = false;
    this.#silence();
  }

  #sound() {
    const context = this.#context;
    if (!context || this.#timer !== null) return;
    context.resume().catch((error) => console.warn('textchat: the ring could not play', error));
    const phrase = () => {
      const start = context.currentTime + 0.05;
      for (const [frequency, at, length] of PHRASE) {
        const oscillator = context.createOscillator();
        const gain = context.createGain();
        oscillator.frequency.value = frequency;
        gain.gain.setValueAtTime(0, start + at);
        gain.gain.linearRampToValueAtTime(VOLUME, start + at + 0.02);
        gain.gain.setValueAtTime(VOLUME, start + at + length - 0.03);
        gain.gain.linearRampToValueAtTime(0, start + at + length);
        oscillator.connect(gain).connect(context.destination);
        oscillator.start(start + at);
        oscillator.stop(start + at + length);
        this.#nodes.push(oscillator);
        oscillator.addEventListener('ended', () => {
          this.#nodes = this.#nodes.filter((node) => node !== oscillator);
          gain.disconnect();
        });
      }
    };
    phrase();
    this.#timer = setInterval(phrase, PERIOD_S * 1000);
  }

  #silence() {
    clearInterval(this.#timer);
    this.#timer = null;
    for (const node of this.#nodes) {
      try {
        node.stop();
      } catch {
        // already over
      }
    }
    this.#nodes = [];
    this.#context?.suspend().catch(() => {});
  }
}
