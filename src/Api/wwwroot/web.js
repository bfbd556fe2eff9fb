// The app's few browser helpers, called from its pages. No library, nothing from the internet.
window.telemetry = {
  // A grade-1 alarm tone made in the browser (no sound file to fetch); browsers start sound only after the
  // operator has clicked on the page, which turning the sound on is.
  _audio: null,
  enableSound() {
    this._audio = this._audio || new (window.AudioContext || window.webkitAudioContext)();
    return this._audio.resume().then(() => true, () => false);
  },
  alarm(count) {
    const ctx = this._audio;
    if (!ctx || ctx.state !== 'running') return false;
    for (let i = 0; i < Math.min(count || 1, 3); i++) {
      const osc = ctx.createOscillator(), gain = ctx.createGain();
      const start = ctx.currentTime + i * 0.6;
      osc.frequency.value = 880; osc.type = 'square';
      gain.gain.setValueAtTime(0.15, start); gain.gain.setValueAtTime(0, start + 0.35);
      osc.connect(gain).connect(ctx.destination); osc.start(start); osc.stop(start + 0.4);
    }
    window.telemetryAlarms = (window.telemetryAlarms || 0) + 1;
    return true;
  },
};
