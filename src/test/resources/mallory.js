// Mallory, the man in the middle (test code only; MitmBrowserIT, DishonestSignaling): run in a page
// as a script body with the dishonest server's /signal URL as arguments[0]. Each call placed
// through that server ends here: mallory answers the caller in the callee's name and calls the
// callee in the caller's name, two peer connections of her own, and forwards everything said on
// one chat channel to the other, the safety-code exchange included. What she read is kept in
// window.__mallory.texts (chat text) and window.__mallory.calls (calls relayed).
(() => {
  const url = arguments[0];
  const mallory = { texts: [], calls: 0, errors: [], ready: false };
  window.__mallory = mallory;
  const ws = new WebSocket(url);
  ws.onopen = () => {
    ws.send(JSON.stringify({ type: 'mallory' }));
    mallory.ready = true;
  };
  const inject = (to, message) => ws.send(JSON.stringify({ type: 'inject', to, message }));
  const fail = (error) => mallory.errors.push(String(error));

  let call = null; // { caller, callee, toCaller, toCallee, chats: {caller, callee}, queues, opCaller, opCallee }

  // Messages from one side wait in a queue until the channel to the other side is open.
  function forward(call, fromSide, channel) {
    const toSide = fromSide === 'caller' ? 'callee' : 'caller';
    call.chats[fromSide] = channel;
    channel.onopen = () => flush(call, fromSide);
    channel.onmessage = ({ data }) => {
      try {
        const parsed = JSON.parse(data);
        if (parsed.type === 'text') mallory.texts.push(parsed.text);
      } catch { /* not JSON: forwarded all the same */ }
      call.queues[toSide].push(data);
      flush(call, toSide);
    };
  }

  function flush(call, side) {
    const channel = call.chats[side];
    if (!channel || channel.readyState !== 'open') return;
    while (call.queues[side].length > 0) channel.send(call.queues[side].shift());
  }

  function connection(peerName, asName) {
    const pc = new RTCPeerConnection({ iceServers: [] });
    pc.onicecandidate = ({ candidate }) => {
      if (candidate) inject(peerName, { type: 'candidate', name: asName, candidate: candidate.toJSON() });
    };
    return pc;
  }

  async function startCall(caller, callee, offer) {
    const c = {
      caller, callee, chats: { caller: null, callee: null }, queues: { caller: [], callee: [] },
      // The connection toward the caller answers its offer; the one toward the callee places a call.
      toCaller: connection(caller, callee),
      toCallee: connection(callee, caller),
    };
    call = c;
    mallory.calls++;
    c.toCaller.ondatachannel = ({ channel }) => forward(c, 'caller', channel);
    forward(c, 'callee', c.toCallee.createDataChannel('chat'));
    c.opCaller = c.toCaller.setRemoteDescription(offer);
    c.opCallee = (async () => {
      await c.toCallee.setLocalDescription(await c.toCallee.createOffer());
      inject(callee, { type: 'offer', name: caller, offer: c.toCallee.localDescription.toJSON() });
    })();
    await Promise.all([c.opCaller, c.opCallee]);
  }

  // The callee answered mallory: now mallory answers the caller, as the callee.
  async function answered(c, answer) {
    await c.opCallee;
    await c.toCallee.setRemoteDescription(answer);
    await c.opCaller;
    await c.toCaller.setLocalDescription(await c.toCaller.createAnswer());
    inject(c.caller, { type: 'answer', name: c.callee, answer: c.toCaller.localDescription.toJSON() });
  }

  function end(c) {
    c.toCaller.close();
    c.toCallee.close();
    if (call === c) call = null;
  }

  ws.onmessage = ({ data }) => {
    const { type, from, message } = JSON.parse(data);
    if (type !== 'relay') return;
    const c = call;
    const fromCaller = c && from === c.caller;
    const fromCallee = c && from === c.callee;
    try {
      if (message.type === 'offer' && !c) {
        startCall(from, message.name, message.offer).catch(fail);
      } else if (message.type === 'answer' && fromCallee) {
        answered(c, message.answer).catch(fail);
      } else if (message.type === 'candidate' && message.candidate && (fromCaller || fromCallee)) {
        const pc = fromCaller ? c.toCaller : c.toCallee;
        const ready = fromCaller ? c.opCaller : c.opCallee.then(() => new Promise((resolve) => {
          if (pc.remoteDescription) resolve();
          else pc.addEventListener('signalingstatechange', resolve, { once: true });
        }));
        ready.then(() => pc.addIceCandidate(message.candidate)).catch(fail);
      } else if ((message.type === 'leave' || message.type === 'decline') && (fromCaller || fromCallee)) {
        const other = fromCaller ? c.callee : c.caller;
        inject(other, message.type === 'leave' ? { type: 'leave', name: from }
          : { type: 'decline', name: from, reason: message.reason ?? 'declined' });
        end(c);
      }
    } catch (error) {
      fail(error);
    }
  };
})();
