//! Conversions by channel (`конверсия_по_каналам`): a channel named there that does not feed
//! the stage's pipeline never reaches it as its own segment (W0047).

use super::Checker;
use crate::diag::Kind;

pub(super) fn check(cx: &mut Checker) {
    let m = cx.model;
    for (pi, p) in m.pipelines.iter().enumerate() {
        for s in &p.stages {
            for c in &s.channel_conversions {
                let known = m.channels.iter().any(|ch| ch.name == c.channel);
                if known && crate::model::segments::channel_pipeline(m, &c.channel) != Some(pi) {
                    cx.report(
                        Kind::ChannelConversionUnfed {
                            channel: c.channel.clone(),
                            pipeline: p.name.clone(),
                        },
                        c.span,
                    );
                }
            }
        }
    }
}
