/**
 * The console's sound and browser notification for a new waiting conversation. The browser's
 * permission is asked once (remembered in localStorage), on the operator's first click, since
 * browsers ignore or penalise a request made without a gesture.
 */
const ASKED_KEY = 'support-chat:console:notifications-asked';

let audio: AudioContext | null = null;

/** Asks for notification permission on the first click, once per browser. */
export function askNotificationPermissionOnce(): () => void {
  if (typeof Notification === 'undefined' || Notification.permission !== 'default' || remembered()) return () => {};
  const ask = () => {
    remember();
    void Notification.requestPermission();
  };
  document.addEventListener('pointerdown', ask, { once: true });
  return () => document.removeEventListener('pointerdown', ask);
}

/** A short two-tone chime (Web Audio: no file to load, nothing for the CSP to allow). */
export function chime(): void {
  try {
    audio ??= new AudioContext();
    const now = audio.currentTime;
    for (const [i, frequency] of [880, 1320].entries()) {
      const tone = audio.createOscillator();
      const gain = audio.createGain();
      tone.frequency.value = frequency;
      gain.gain.setValueAtTime(0.0001, now + i * 0.15);
      gain.gain.exponentialRampToValueAtTime(0.2, now + i * 0.15 + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, now + i * 0.15 + 0.3);
      tone.connect(gain).connect(audio.destination);
      tone.start(now + i * 0.15);
      tone.stop(now + i * 0.15 + 0.32);
    }
  } catch {
    // No audio device, or the browser has not allowed sound yet (no click on the page so far).
  }
}

/** A system notification when allowed; clicking it brings the console forward and opens the conversation. */
export function notify(title: string, body: string, onClick: () => void): void {
  if (typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
  const notification = new Notification(title, { body, tag: title });
  notification.onclick = () => {
    window.focus();
    onClick();
    notification.close();
  };
}

function remembered(): boolean {
  try {
    return localStorage.getItem(ASKED_KEY) === '1';
  } catch {
    return false;
  }
}

function remember(): void {
  try {
    localStorage.setItem(ASKED_KEY, '1');
  } catch {
    // Storage refused (private mode): the browser itself remembers a decision once made.
  }
}
