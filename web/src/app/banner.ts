/** The friendly « something is wrong on our side » banner, fed by the API client. */
import type { ApiError } from '../lib/api-client.ts';
import { createStore } from '../lib/store.ts';

export const bannerStore = createStore<ApiError | null>(null);
