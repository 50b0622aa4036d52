import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import type { Command, LiveEvent, Snapshot, Subscription } from '../../contract/protocol.js';
import { applyPending, type BoardView, type Me } from './applyPending.js';
import { LiveClient, type LiveClientState } from './liveClient.js';

export interface LiveBoardOptions {
  /** Whose outbox (participant or user id); null for the read-only plenary screen. */
  deviceKey: string | null;
  viewerToken?: string;
  /** Who this device acts as, for the optimistic view. */
  me?: Me;
  /** Called for each live event as it arrives (not for the catch-up after a reconnect). */
  onEvent?: (event: LiveEvent, own: boolean, board: Snapshot) => void;
}

export interface LiveBoard extends LiveClientState {
  /** What to show: the confirmed board with this device's pending commands on top. */
  view: BoardView | null;
  send(command: Command): string;
  dismiss(commandId: string): void;
}

const idle: LiveClientState = { board: null, you: null, status: 'connecting', fatal: null, pending: [], rejections: [], transport: 'websocket', retryAt: null };
const noMe: Me = { participantId: null, userId: null, name: null, groupId: null };

/**
 * Follows a workshop live. The connection opens when `workshopId` (and, for a writer, the device
 * key) is known and closes when the component goes; the outbox survives in localStorage.
 */
export function useLiveBoard(workshopId: string | null, subscription: Subscription | null, options: LiveBoardOptions): LiveBoard {
  const subscriptionKey = subscription ? JSON.stringify(subscription) : null;
  const { deviceKey, viewerToken } = options;
  const [client, setClient] = useState<LiveClient | null>(null);
  const onEvent = useRef(options.onEvent);
  useEffect(() => {
    onEvent.current = options.onEvent;
  });

  useEffect(() => {
    if (!workshopId || !subscriptionKey) return;
    const next = new LiveClient({ workshopId, subscription: JSON.parse(subscriptionKey) as Subscription, deviceKey, viewerToken });
    const off = next.onEvent((event, own, board) => onEvent.current?.(event, own, board));
    next.start();
    setClient(next);
    return () => {
      off();
      next.stop();
      setClient((current) => (current === next ? null : current));
    };
  }, [workshopId, subscriptionKey, deviceKey, viewerToken]);

  const subscribe = useCallback((listener: () => void) => (client ? client.subscribe(listener) : () => undefined), [client]);
  const state = useSyncExternalStore(subscribe, () => client?.state ?? idle);
  const me = options.me ?? noMe;
  const { participantId, userId, name, groupId } = me;
  const view = useMemo(
    () => (state.board ? applyPending(state.board, state.pending, { participantId, userId, name, groupId }) : null),
    [state.board, state.pending, participantId, userId, name, groupId],
  );
  const send = useCallback((command: Command) => {
    if (!client) throw new Error('not connected yet');
    return client.send(command);
  }, [client]);
  const dismiss = useCallback((commandId: string) => client?.dismiss(commandId), [client]);
  return { ...state, view, send, dismiss };
}
