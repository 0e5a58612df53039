/**
 * What the Marketplace's publish form checks in action.yml, checked here first: it is reported only
 * on the release page, after the tag exists, when the release is already cut.
 */
import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { load } from 'js-yaml'

interface Metadata {
  name?: unknown
  description?: unknown
  branding?: { icon?: unknown; color?: unknown }
}

/** The form's words: "Description must be less than 125 characters." */
const DESCRIPTION_LIMIT = 125

/**
 * The badge colours and Feather icons GitHub accepts, from the metadata syntax reference
 * (github/docs content/actions/reference/workflows-and-actions/metadata-syntax.md, "branding":
 * "Exhaustive list of all currently supported icons"; Feather v4.28.0 without the brand icons and
 * coffee, columns, divide-circle, divide-square, divide, frown, hexagon, key, meh, mouse-pointer,
 * smile, tool and x-octagon).
 */
const COLORS = ['white', 'black', 'yellow', 'blue', 'green', 'orange', 'red', 'purple', 'gray-dark']
const ICONS = new Set([
  'activity',
  'airplay',
  'alert-circle',
  'alert-octagon',
  'alert-triangle',
  'align-center',
  'align-justify',
  'align-left',
  'align-right',
  'anchor',
  'aperture',
  'archive',
  'arrow-down-circle',
  'arrow-down-left',
  'arrow-down-right',
  'arrow-down',
  'arrow-left-circle',
  'arrow-left',
  'arrow-right-circle',
  'arrow-right',
  'arrow-up-circle',
  'arrow-up-left',
  'arrow-up-right',
  'arrow-up',
  'at-sign',
  'award',
  'bar-chart-2',
  'bar-chart',
  'battery-charging',
  'battery',
  'bell-off',
  'bell',
  'bluetooth',
  'bold',
  'book-open',
  'book',
  'bookmark',
  'box',
  'briefcase',
  'calendar',
  'camera-off',
  'camera',
  'cast',
  'check-circle',
  'check-square',
  'check',
  'chevron-down',
  'chevron-left',
  'chevron-right',
  'chevron-up',
  'chevrons-down',
  'chevrons-left',
  'chevrons-right',
  'chevrons-up',
  'circle',
  'clipboard',
  'clock',
  'cloud-drizzle',
  'cloud-lightning',
  'cloud-off',
  'cloud-rain',
  'cloud-snow',
  'cloud',
  'code',
  'command',
  'compass',
  'copy',
  'corner-down-left',
  'corner-down-right',
  'corner-left-down',
  'corner-left-up',
  'corner-right-down',
  'corner-right-up',
  'corner-up-left',
  'corner-up-right',
  'cpu',
  'credit-card',
  'crop',
  'crosshair',
  'database',
  'delete',
  'disc',
  'dollar-sign',
  'download-cloud',
  'download',
  'droplet',
  'edit-2',
  'edit-3',
  'edit',
  'external-link',
  'eye-off',
  'eye',
  'fast-forward',
  'feather',
  'file-minus',
  'file-plus',
  'file-text',
  'file',
  'film',
  'filter',
  'flag',
  'folder-minus',
  'folder-plus',
  'folder',
  'gift',
  'git-branch',
  'git-commit',
  'git-merge',
  'git-pull-request',
  'globe',
  'grid',
  'hard-drive',
  'hash',
  'headphones',
  'heart',
  'help-circle',
  'home',
  'image',
  'inbox',
  'info',
  'italic',
  'layers',
  'layout',
  'life-buoy',
  'link-2',
  'link',
  'list',
  'loader',
  'lock',
  'log-in',
  'log-out',
  'mail',
  'map-pin',
  'map',
  'maximize-2',
  'maximize',
  'menu',
  'message-circle',
  'message-square',
  'mic-off',
  'mic',
  'minimize-2',
  'minimize',
  'minus-circle',
  'minus-square',
  'minus',
  'monitor',
  'moon',
  'more-horizontal',
  'more-vertical',
  'move',
  'music',
  'navigation-2',
  'navigation',
  'octagon',
  'package',
  'paperclip',
  'pause-circle',
  'pause',
  'percent',
  'phone-call',
  'phone-forwarded',
  'phone-incoming',
  'phone-missed',
  'phone-off',
  'phone-outgoing',
  'phone',
  'pie-chart',
  'play-circle',
  'play',
  'plus-circle',
  'plus-square',
  'plus',
  'pocket',
  'power',
  'printer',
  'radio',
  'refresh-ccw',
  'refresh-cw',
  'repeat',
  'rewind',
  'rotate-ccw',
  'rotate-cw',
  'rss',
  'save',
  'scissors',
  'search',
  'send',
  'server',
  'settings',
  'share-2',
  'share',
  'shield-off',
  'shield',
  'shopping-bag',
  'shopping-cart',
  'shuffle',
  'sidebar',
  'skip-back',
  'skip-forward',
  'slash',
  'sliders',
  'smartphone',
  'speaker',
  'square',
  'star',
  'stop-circle',
  'sun',
  'sunrise',
  'sunset',
  'table',
  'tablet',
  'tag',
  'target',
  'terminal',
  'thermometer',
  'thumbs-down',
  'thumbs-up',
  'toggle-left',
  'toggle-right',
  'trash-2',
  'trash',
  'trending-down',
  'trending-up',
  'triangle',
  'truck',
  'tv',
  'type',
  'umbrella',
  'underline',
  'unlock',
  'upload-cloud',
  'upload',
  'user-check',
  'user-minus',
  'user-plus',
  'user-x',
  'user',
  'users',
  'video-off',
  'video',
  'voicemail',
  'volume-1',
  'volume-2',
  'volume-x',
  'volume',
  'watch',
  'wifi-off',
  'wifi',
  'wind',
  'x-circle',
  'x-square',
  'x',
  'zap-off',
  'zap',
  'zoom-in',
  'zoom-out'
])

/** What the form would refuse in this metadata, one sentence each; empty when it would pass. */
export function marketplaceProblems(metadata: Metadata): string[] {
  const problems: string[] = []
  if (typeof metadata.name !== 'string' || metadata.name.trim() === '') problems.push('no name')
  if (typeof metadata.description !== 'string' || metadata.description.trim() === '') {
    problems.push('no description')
  } else if (metadata.description.length >= DESCRIPTION_LIMIT) {
    problems.push(
      `description is ${metadata.description.length} characters; it must be less than ${DESCRIPTION_LIMIT}`
    )
  }
  const { icon, color } = metadata.branding ?? {}
  if (typeof icon !== 'string' || !ICONS.has(icon))
    problems.push(`branding.icon ${String(icon)} is not allowed`)
  if (typeof color !== 'string' || !COLORS.includes(color)) {
    problems.push(`branding.color ${String(color)} is not allowed`)
  }
  return problems
}

describe('action.yml as the Marketplace sees it', () => {
  const metadata = load(readFileSync('action.yml', 'utf8')) as Metadata

  it('passes the publish form', () => {
    expect(marketplaceProblems(metadata)).toEqual([])
  })

  it('lists all 257 supported icons (a truncated list would refuse good icons)', () => {
    expect(ICONS.size).toBe(257)
  })

  it('refuses what the form refuses', () => {
    const good = { name: 'x', description: 'd', branding: { icon: 'clock', color: 'orange' } }
    expect(marketplaceProblems(good)).toEqual([])
    expect(marketplaceProblems({ ...good, description: 'x'.repeat(125) })).toEqual([
      'description is 125 characters; it must be less than 125'
    ])
    expect(marketplaceProblems({ ...good, description: 'x'.repeat(124) })).toEqual([])
    expect(marketplaceProblems({ ...good, name: ' ' })).toEqual(['no name'])
    expect(marketplaceProblems({ ...good, branding: { icon: 'coffee', color: 'orange' } })).toEqual(
      ['branding.icon coffee is not allowed']
    )
    expect(marketplaceProblems({ ...good, branding: { icon: 'clock', color: 'grey' } })).toEqual([
      'branding.color grey is not allowed'
    ])
    expect(marketplaceProblems({ name: 'x', description: 'd' })).toHaveLength(2)
  })
})
