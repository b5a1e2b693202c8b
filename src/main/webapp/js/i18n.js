// Every string the page shows, one small dictionary per language, chosen from the browser's
// languages. `{name}`-style placeholders are filled in by `t(key, values)`.

const en = {
  'app.title': 'Textchat',
  'app.tagline': 'Private text chat, browser to browser',
  'app.skip': 'Skip to the conversation',

  'conn.label': 'Server connection',
  'conn.connecting': 'Connecting…',
  'conn.open': 'Connected',
  'conn.online': 'Online as {name}',
  'conn.reconnecting': 'Connection lost. Reconnecting…',
  'conn.closed': 'Disconnected',
  'conn.lost-notice': 'Lost the connection to the server. Your chat stays open; reconnecting…',
  'conn.back-notice': 'Connected to the server again.',
  'conn.replaced-notice': 'You signed in from another tab or device, so this one was disconnected. Reload to sign in again.',
  'conn.offline': 'No connection to the server. Trying again…',

  'alerts.enable': 'Turn on notifications',
  'alerts.granted': 'Notifications on while this tab is in the background.',
  'alerts.denied': 'Notifications are blocked for this site; allow them in the browser\'s site settings.',
  'alerts.hide-previews': 'Hide message text in notifications',
  'alerts.mute-ring': 'Mute ring',
  'notify.call-title': '{name} is calling',
  'notify.call-body': 'Open Textchat to answer.',
  'notify.message-title': 'Message from {name}',
  'notify.message-hidden': 'New message',

  'signin.heading': 'Sign in',
  'signin.intro': 'Choose a name others can call you by. Your messages go straight from browser to browser; the server only introduces you.',
  'signin.name': 'Your name',
  'signin.submit': 'Sign in',
  'signin.submitting': 'Signing in…',
  'signin.empty': 'Please enter a name.',
  'signin.refused.taken': 'That name is already taken. Please choose another one.',
  'signin.refused.invalid-name': 'Names are 1 to 32 characters long, with no control characters and no spaces at either end.',
  'signin.refused.already-logged-in': 'This connection is already signed in. Reload the page to sign in again.',
  'signin.refused.unauthorized': 'You can only sign in with the name of your own account.',
  'signin.refused.server-full': 'The server is full right now. Please try again later.',
  'signin.refused.unavailable': 'The server cannot sign anyone in right now. Please try again in a moment.',
  'signin.refused.other': 'The server refused the name ({reason}).',
  'signin.resume-failed': 'You were signed out while the connection was down.',

  'people.heading': 'Online now',
  'people.empty': 'Nobody else is online yet. Open this page in another tab or on another device to try it out.',
  'people.call': 'Call',
  'people.call-label': 'Call {name}',
  'people.search': 'Find someone online',
  'people.search-placeholder': 'Name starts with…',
  'people.directory': 'Showing {shown} of {total} people online. Search to find others.',
  'people.found': 'Showing {shown} of {total} whose name starts with “{prefix}”.',
  'people.none-found': 'Nobody online has a name starting with “{prefix}”.',
  'callform.label': 'Call someone by name',
  'callform.placeholder': 'Name',
  'callform.submit': 'Call',
  'callform.self': 'You cannot call yourself.',
  'callform.busy': 'You are in {max} calls, as many as you can be. Hang up one to call someone else.',
  'conversations.label': 'Conversations',
  'conversations.open': 'Open the conversation with {name}',
  'conversations.unread': '{count} unread',
  'conversations.new-message': 'New message from {name}',

  'call.idle': 'Not in a call',
  'call.calling': 'Calling {name}…',
  'call.ringing': '{name} is calling…',
  'call.connecting': 'Connecting to {name}…',
  'call.connected': 'In a call with {name}',
  'call.interrupted': 'Connection to {name} interrupted. Reconnecting…',
  'call.restored': 'Reconnected to {name}.',
  'call.ended': 'Call ended',
  'call.hangup': 'Hang up',
  'call.cancel': 'Cancel call',
  'call.route-summary': 'Connection details',
  'call.route-direct': 'Direct connection over {protocol}: {local} ↔ {remote}',
  'call.route-relay': 'Relayed connection over {protocol}: {local} ↔ {remote}',

  'end.hung-up': 'You hung up.',
  'end.declined-by-me': 'You declined the call from {name}.',
  'end.peer-left': '{name} left the call.',
  'end.missed': 'Missed call from {name}.',
  'end.declined': '{name} declined the call.',
  'end.busy': '{name} is busy in another call.',
  'end.no-answer': '{name} did not answer.',
  'end.failed': 'The connection to {name} failed.',
  'end.unreachable': '{name} is not online.',
  'end.lost': 'The connection to {name} was lost and could not be restored.',
  'end.turn-refused': 'Could not connect to {name}: the relay server (TURN) refused this site\'s credentials. Please tell the site\'s operator that the TURN secret does not match.',
  'end.turn-unreachable': 'Could not connect to {name}: the relay server (TURN) did not answer. Please tell the site\'s operator.',
  'end.relay-failed': 'Could not connect to {name}, not even through the relay server (TURN). Please tell the site\'s operator.',
  'end.no-route': 'Could not connect to {name}: your networks cannot reach each other directly. The site\'s operator can fix this by setting up a relay server (TURN).',
  'end.busy-declined': '{name} called while you were in a call.',
  'end.call-again': 'You can call again at any time.',

  'incoming.title': 'Incoming call',
  'incoming.text': '{name} wants to chat with you.',
  'incoming.accept': 'Accept',
  'incoming.decline': 'Decline',

  'safety.heading': 'Safety code',
  'safety.code-label': 'Safety code',
  'safety.verify': 'Codes match: mark as verified',
  'safety.accept': 'Chat anyway',
  'safety.forget': 'Forget verification',
  'safety.trust.checking': 'Checking who {name} is…',
  'safety.trust.unverified': '{name} is not verified yet',
  'safety.trust.verified': '{name} is verified',
  'safety.trust.changed': '{name}\'s safety code changed',
  'safety.trust.unavailable': 'This browser cannot remember verified people',
  'safety.pending': 'Working out the safety code with {name}…',
  'safety.help.unverified': 'Read this code to {name} over another channel (in person, by phone). If {name} sees the same code, nobody is listening in: mark {name} as verified.',
  'safety.help.verified': 'This is the same {name} you verified before; you need not compare again.',
  'safety.help.unavailable': 'Read this code to {name} over another channel; if it matches, nobody is listening in.',
  'safety.help.changed': 'This is not the {name} you verified. {name} may have a new device or cleared this site\'s data — or someone is in the middle. Compare the new code with {name} before you write anything.',
  'safety.help.changed-accepted': 'You chose to chat without comparing. Compare the code with {name} to be sure.',
  'safety.failed.mismatch': 'Could not work out a safety code: {name}\'s answer did not match what it promised, so the exchange was tampered with. The chat works but is not verified.',
  'safety.failed.garbled': 'Could not work out a safety code: the exchange with {name} was garbled. The chat works but is not verified.',
  'safety.failed.no-answer': 'Could not work out a safety code: no answer from {name}\'s page (an older app, or the exchange was cut). The chat works but is not verified.',
  'safety.insecure-page': 'Safety codes need a secure page (https). The chat works but cannot be verified.',
  'safety.store-failed': 'Could not remember this person as verified (the browser refused to store it).',
  'chat.heading': 'Conversation',
  'chat.empty': 'Call someone to start chatting.',
  'chat.input': 'Message',
  'chat.placeholder': 'Write a message…',
  'chat.hint': 'Enter sends; Shift+Enter starts a new line.',
  'chat.placeholder-closed': 'Messages can be sent once a call is connected',
  'chat.send': 'Send',
  'chat.you': 'You',
  'chat.sent': 'Sent',
  'chat.delivered': 'Delivered',
  'chat.read': 'Read',
  'chat.queued': 'Queued',
  'chat.typing': '{name} is typing…',
  'alerts.read-receipts': 'Send read receipts',
  'chat.announce': '{name} says: {text}',

  'error.rate-limited': 'Slow down: the server is dropping messages.',
};

const zhTW = {
  'app.title': 'Textchat',
  'app.tagline': '瀏覽器對瀏覽器的私密文字聊天',
  'app.skip': '跳到對話',

  'conn.label': '伺服器連線',
  'conn.connecting': '連線中…',
  'conn.open': '已連線',
  'conn.online': '已上線：{name}',
  'conn.reconnecting': '連線中斷，正在重新連線…',
  'conn.closed': '已中斷連線',
  'conn.lost-notice': '與伺服器的連線中斷。聊天仍然開著，正在重新連線…',
  'conn.back-notice': '已重新連上伺服器。',
  'conn.replaced-notice': '你已在另一個分頁或裝置登入，因此這裡已中斷連線。重新整理頁面即可再次登入。',
  'conn.offline': '無法連上伺服器，正在重試…',

  'alerts.enable': '開啟通知',
  'alerts.granted': '此分頁在背景時會顯示通知。',
  'alerts.denied': '此網站的通知已被封鎖；請在瀏覽器的網站設定中允許。',
  'alerts.hide-previews': '通知中不顯示訊息內容',
  'alerts.mute-ring': '來電鈴聲靜音',
  'notify.call-title': '{name} 來電',
  'notify.call-body': '開啟 Textchat 接聽。',
  'notify.message-title': '{name} 傳來訊息',
  'notify.message-hidden': '新訊息',

  'signin.heading': '登入',
  'signin.intro': '選一個讓別人呼叫你的名字。訊息直接在瀏覽器之間傳送，伺服器只負責介紹彼此。',
  'signin.name': '你的名字',
  'signin.submit': '登入',
  'signin.submitting': '登入中…',
  'signin.empty': '請輸入名字。',
  'signin.refused.taken': '這個名字已經有人使用，請換一個。',
  'signin.refused.invalid-name': '名字長度為 1 到 32 個字元，不可包含控制字元，開頭和結尾不可有空白。',
  'signin.refused.already-logged-in': '這個連線已經登入。請重新整理頁面後再登入。',
  'signin.refused.unauthorized': '只能使用你自己帳號的名字登入。',
  'signin.refused.server-full': '伺服器目前已滿，請稍後再試。',
  'signin.refused.unavailable': '伺服器暫時無法讓人登入，請稍後再試。',
  'signin.refused.other': '伺服器拒絕了這個名字（{reason}）。',
  'signin.resume-failed': '連線中斷期間你已被登出。',

  'people.heading': '目前在線',
  'people.empty': '目前沒有其他人在線。在另一個分頁或裝置開啟此頁面就能試用。',
  'people.call': '通話',
  'people.call-label': '呼叫 {name}',
  'people.search': '尋找在線的人',
  'people.search-placeholder': '名字開頭…',
  'people.directory': '目前顯示 {total} 位在線者中的 {shown} 位。搜尋以找到其他人。',
  'people.found': '名字以「{prefix}」開頭的共 {total} 位，顯示 {shown} 位。',
  'people.none-found': '沒有在線者的名字以「{prefix}」開頭。',
  'callform.label': '依名字呼叫',
  'callform.placeholder': '名字',
  'callform.submit': '呼叫',
  'callform.self': '不能呼叫自己。',
  'callform.busy': '你已有 {max} 個通話，已達上限。請先掛斷一個，再呼叫其他人。',
  'conversations.label': '對話列表',
  'conversations.open': '開啟與 {name} 的對話',
  'conversations.unread': '{count} 則未讀',
  'conversations.new-message': '{name} 傳來新訊息',

  'call.idle': '目前沒有通話',
  'call.calling': '正在呼叫 {name}…',
  'call.ringing': '{name} 來電…',
  'call.connecting': '正在連線到 {name}…',
  'call.connected': '正在與 {name} 通話',
  'call.interrupted': '與 {name} 的連線中斷，正在重新連線…',
  'call.restored': '已重新連上 {name}。',
  'call.ended': '通話已結束',
  'call.hangup': '掛斷',
  'call.cancel': '取消呼叫',
  'call.route-summary': '連線詳細資訊',
  'call.route-direct': '直接連線（{protocol}）：{local} ↔ {remote}',
  'call.route-relay': '經由中繼連線（{protocol}）：{local} ↔ {remote}',

  'end.hung-up': '你已掛斷。',
  'end.declined-by-me': '你拒絕了 {name} 的來電。',
  'end.peer-left': '{name} 已離開通話。',
  'end.missed': '{name} 的未接來電。',
  'end.declined': '{name} 拒絕了通話。',
  'end.busy': '{name} 正在另一通通話中。',
  'end.no-answer': '{name} 沒有接聽。',
  'end.failed': '與 {name} 的連線失敗。',
  'end.unreachable': '{name} 目前不在線。',
  'end.lost': '與 {name} 的連線中斷，且無法恢復。',
  'end.turn-refused': '無法連線到 {name}：中繼伺服器（TURN）拒絕了本網站的憑證。請告知網站管理者 TURN 密鑰不一致。',
  'end.turn-unreachable': '無法連線到 {name}：中繼伺服器（TURN）沒有回應。請告知網站管理者。',
  'end.relay-failed': '無法連線到 {name}，即使透過中繼伺服器（TURN）也不行。請告知網站管理者。',
  'end.no-route': '無法連線到 {name}：你們的網路無法直接互通。網站管理者可以架設中繼伺服器（TURN）來解決。',
  'end.busy-declined': '{name} 在你通話時來電。',
  'end.call-again': '你隨時可以再次呼叫。',

  'incoming.title': '來電',
  'incoming.text': '{name} 想和你聊天。',
  'incoming.accept': '接聽',
  'incoming.decline': '拒絕',

  'safety.heading': '安全碼',
  'safety.code-label': '安全碼',
  'safety.verify': '安全碼相符：標記為已驗證',
  'safety.accept': '仍要聊天',
  'safety.forget': '取消驗證',
  'safety.trust.checking': '正在確認 {name} 的身分…',
  'safety.trust.unverified': '{name} 尚未驗證',
  'safety.trust.verified': '{name} 已驗證',
  'safety.trust.changed': '{name} 的安全碼已變更',
  'safety.trust.unavailable': '這個瀏覽器無法記住已驗證的人',
  'safety.pending': '正在與 {name} 產生安全碼…',
  'safety.help.unverified': '透過其他管道（當面或電話）把這組安全碼念給 {name} 聽。如果 {name} 看到的安全碼相同，就沒有人在中間竊聽：請將 {name} 標記為已驗證。',
  'safety.help.verified': '這是你之前驗證過的同一位 {name}，不需要再比對。',
  'safety.help.unavailable': '透過其他管道把這組安全碼念給 {name} 聽；如果相符，就沒有人在中間竊聽。',
  'safety.help.changed': '這不是你之前驗證過的 {name}。{name} 可能換了裝置或清除了這個網站的資料，也可能有人在中間攔截。傳送任何訊息之前，請先與 {name} 比對新的安全碼。',
  'safety.help.changed-accepted': '你選擇了不比對就聊天。請與 {name} 比對安全碼以確認。',
  'safety.failed.mismatch': '無法產生安全碼：{name} 的回應與先前的承諾不符，交換過程遭到竄改。聊天仍可進行，但未經驗證。',
  'safety.failed.garbled': '無法產生安全碼：與 {name} 的交換內容錯亂。聊天仍可進行，但未經驗證。',
  'safety.failed.no-answer': '無法產生安全碼：{name} 的頁面沒有回應（可能是舊版程式，或交換被中斷）。聊天仍可進行，但未經驗證。',
  'safety.insecure-page': '安全碼需要安全的網頁（https）。聊天仍可進行，但無法驗證。',
  'safety.store-failed': '無法記住此人已驗證（瀏覽器拒絕儲存）。',
  'chat.heading': '對話',
  'chat.empty': '呼叫某人即可開始聊天。',
  'chat.input': '訊息',
  'chat.placeholder': '輸入訊息…',
  'chat.hint': 'Enter 送出；Shift+Enter 換行。',
  'chat.placeholder-closed': '通話連線後即可傳送訊息',
  'chat.send': '傳送',
  'chat.you': '你',
  'chat.sent': '已送出',
  'chat.delivered': '已送達',
  'chat.read': '已讀',
  'chat.queued': '等待傳送',
  'chat.typing': '{name} 正在輸入…',
  'alerts.read-receipts': '傳送已讀回條',
  'chat.announce': '{name} 說：{text}',

  'error.rate-limited': '請放慢速度：伺服器正在丟棄訊息。',
};

export const dictionaries = Object.freeze({ en, 'zh-TW': zhTW });

/** The first of the browser's languages we have a dictionary for; English otherwise. */
export function pickLanguage(languages = navigator.languages?.length ? navigator.languages : [navigator.language]) {
  for (const tag of languages) {
    const lower = String(tag).toLowerCase();
    // Traditional Chinese is the only Chinese here; better than English for any zh reader.
    if (lower === 'zh' || lower.startsWith('zh-')) return 'zh-TW';
    if (lower === 'en' || lower.startsWith('en-')) return 'en';
  }
  return 'en';
}

/** A translate function for one language; unknown keys fall back to English, then the key. */
export function translator(language) {
  const dictionary = dictionaries[language] ?? en;
  return (key, values = {}) => {
    const template = dictionary[key] ?? en[key] ?? key;
    return template.replace(/\{(\w+)\}/g, (match, name) => (name in values ? String(values[name]) : match));
  };
}

/** Fills the page's static text: data-i18n (text), data-i18n-placeholder, data-i18n-aria-label. */
export function translatePage(root, t, language) {
  root.documentElement.lang = language;
  root.title = t('app.title');
  for (const element of root.querySelectorAll('[data-i18n]')) {
    element.textContent = t(element.dataset.i18n);
  }
  for (const element of root.querySelectorAll('[data-i18n-placeholder]')) {
    element.placeholder = t(element.dataset.i18nPlaceholder);
  }
  for (const element of root.querySelectorAll('[data-i18n-aria-label]')) {
    element.setAttribute('aria-label', t(element.dataset.i18nAriaLabel));
  }
}
